package org.gzpipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.gzpipelines.synth.SynthOptions;
import org.gzpipelines.synth.SyntheticDataset;
import org.gzpipelines.testing.GzProcess;
import org.gzpipelines.tracking.MlflowTestServer;
import org.gzpipelines.tracking.Tracking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real SIGTERM to {@code gz ingest} on the Direct runner (a child JVM): the pipeline is
 * cancelled, the run ends KILLED locally and on the server, the command exits 143, and neither
 * output nor temp folder is left.
 */
class IngestSignalsTest {

  private static final Pattern RUN_ID = Pattern.compile("gz ingest: run (\\w+) in experiment");

  @TempDir Path dir;

  @Test
  void sigtermCancelsThePipelineAndEndsTheRunKilled() throws Exception {
    SyntheticDataset.Result data = SyntheticDataset.generate(SynthOptions.defaults().withCount(400).withSeed(17), dir.resolve("synth"));
    String uri = MlflowTestServer.shared();
    Path runs = dir.resolve("runs");
    Path out = dir.resolve("out");
    String runId;
    try (GzProcess ingest = GzProcess.start(dir, Map.of(Tracking.URI_ENV, uri, Tracking.RUNS_DIR_ENV, runs.toString()),
        "ingest", "--images", data.imagesDir().toString(), "--labels", data.labelsCsv().toString(),
        "--out", out.toString(), "--augment", "3", "--runner", "direct")) {
      ingest.await("the pipeline start", Duration.ofMinutes(2), () -> ingest.output().contains("Ingesting 400 image files"));
      ingest.signal("TERM");
      assertEquals(143, ingest.waitFor(Duration.ofMinutes(2)), ingest.output());
      assertTrue(ingest.output().contains("stopped by SIGTERM"), ingest.output());
      Matcher m = RUN_ID.matcher(ingest.output());
      assertTrue(m.find(), ingest.output());
      runId = m.group(1);
    }
    assertEquals("KILLED", Tracking.offline(runs).getRun(runId).status());
    try (Tracking server = Tracking.connect(uri, runs)) {
      assertEquals("KILLED", server.getRun(runId).status());
    }
    assertFalse(Files.exists(out), "no output from a stopped ingest");
    try (Stream<Path> left = Files.list(dir)) {
      List<Path> temp = left.filter(p -> p.getFileName().toString().startsWith(".out.")).toList();
      assertTrue(temp.isEmpty(), "temp output folders left: " + temp);
    }
  }
}
