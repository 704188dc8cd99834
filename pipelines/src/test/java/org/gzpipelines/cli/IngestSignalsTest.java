package org.gzpipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestOptions;
import org.gzpipelines.flink.FlinkRestClient;
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

  /**
   * Embedded Flink: SIGINT while its job runs cancels the job through the mini-cluster's REST
   * endpoint (Beam's run() would hold it to its end), and the stage stops as on the Direct runner.
   */
  @Test
  void sigintCancelsAnEmbeddedFlinkJobWhileItRuns() throws Exception {
    SyntheticDataset.Result data = SyntheticDataset.generate(SynthOptions.defaults().withCount(400).withSeed(17), dir.resolve("synth"));
    Path runs = dir.resolve("runs");
    Path out = dir.resolve("out");
    // With the user's logging configuration (this module's test resources left off the classpath).
    try (GzProcess ingest = GzProcess.startWithout("test-classes", dir,
        Map.of(Tracking.URI_ENV, "", Tracking.RUNS_DIR_ENV, runs.toString()),
        "ingest", "--images", data.imagesDir().toString(), "--labels", data.labelsCsv().toString(),
        "--out", out.toString(), "--augment", "3", "--runner", "flink-local")) {
      // The mini-cluster's REST port, from the configuration gz wrote for it.
      List<FlinkRestClient> rest = new java.util.ArrayList<>();
      ingest.await("the embedded job running", Duration.ofMinutes(2), () -> running(ingest.pid(), rest));
      ingest.signal("INT");
      assertEquals(130, ingest.waitFor(Duration.ofMinutes(2)), ingest.output());
      assertTrue(ingest.output().contains("stopped by SIGINT: the pipeline was cancelled"), ingest.output());
      assertTrue(ingest.output().lines().count() < 12, "no stack trace: " + ingest.output());
    }
    assertFalse(Files.exists(out), "no output from a stopped ingest");
  }

  /** Whether the embedded mini-cluster of process {@code pid} lists a RUNNING job on one of its REST ports. */
  private static boolean running(long pid, List<FlinkRestClient> rest) {
    try {
      if (rest.isEmpty()) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> folders = Files.list(tmp)) {
          Optional<Path> conf = folders.filter(f -> f.getFileName().toString().startsWith("gz-flink-local-" + pid + "-"))
              .map(f -> f.resolve("config.yaml")).filter(Files::isRegularFile).findFirst();
          if (conf.isEmpty()) {
            return false;
          }
          String[] ports = GlobalConfiguration.loadConfiguration(conf.get().getParent().toString())
              .get(RestOptions.BIND_PORT).split("-");
          for (int port = Integer.parseInt(ports[0]); port <= Integer.parseInt(ports[ports.length - 1]); port++) {
            rest.add(FlinkRestClient.forMaster("127.0.0.1:" + port));
          }
        }
      }
      for (FlinkRestClient endpoint : rest) {
        try {
          if (endpoint.jobs().stream().anyMatch(j -> j.state().equals("RUNNING"))) {
            return true;
          }
        } catch (java.io.IOException e) {
          // nothing on this port
        }
      }
      return false;
    } catch (java.io.IOException e) {
      return false; // not up yet
    }
  }
}
