package org.gzpipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.gzpipelines.synth.SynthOptions;
import org.gzpipelines.synth.SyntheticDataset;
import org.gzpipelines.testing.GzProcess;
import org.gzpipelines.tracking.Tracking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user's terminal shows of {@code gz ingest}, from a child JVM with the user's logging
 * configuration (this module's test resources, which quieten all of Flink, left off its classpath).
 */
class IngestConsoleTest {

  @TempDir Path dir;

  /**
   * Embedded Flink: gz's own lines, not Flink's warnings about Beam's long operator names (one per
   * operator and subtask, ~200 lines of up to 1,500 characters for an ingest of the Kaggle set); and
   * nothing left in the temp folder (Flink's 22 MB RPC jar stayed there after two of three runs).
   */
  @Test
  void anIngestOnEmbeddedFlinkPrintsNoWarningsAndLeavesNothingInTmp() throws Exception {
    Set<String> before = flinkScratch();
    String output = ingest("flink-local");
    List<String> warnings = output.lines().filter(line -> line.contains(" WARN ")).toList();
    assertTrue(warnings.isEmpty(), warnings.size() + " warnings, e.g. " + warnings.subList(0, Math.min(3, warnings.size())));
    Set<String> left = new TreeSet<>(flinkScratch());
    left.removeAll(before);
    assertEquals(Set.of(), left, "left in " + System.getProperty("java.io.tmpdir"));
  }

  /** What embedded Flink and gz's scratch folder for it put in the temp folder. */
  private static Set<String> flinkScratch() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files.map(f -> f.getFileName().toString())
          .filter(n -> n.startsWith("flink-rpc-") || n.startsWith("gz-flink-local-") || n.equals("flink-web-upload"))
          .collect(Collectors.toSet());
    }
  }

  /** A FLINK_CONF_DIR that is no folder: one line naming it and the fix, before any run is opened. */
  @Test
  void aFlinkConfDirThatIsNoFolderStopsEmbeddedFlinkBeforeItsRun() throws Exception {
    SyntheticDataset.Result data = SyntheticDataset.generate(SynthOptions.defaults().withCount(4).withSeed(5), dir.resolve("synth"));
    Path confDir = dir.resolve("no-such-conf");
    try (GzProcess ingest = GzProcess.start(dir,
        Map.of(Tracking.URI_ENV, "", Tracking.RUNS_DIR_ENV, dir.resolve("runs").toString(), "FLINK_CONF_DIR", confDir.toString()),
        "ingest", "--images", data.imagesDir().toString(), "--labels", data.labelsCsv().toString(),
        "--out", dir.resolve("data").toString(), "--runner", "flink-local")) {
      assertEquals(2, ingest.waitFor(Duration.ofMinutes(1)), ingest.output());
      assertTrue(ingest.output().contains("gz ingest: FLINK_CONF_DIR=" + confDir + " cannot be read as a Flink configuration folder"),
          ingest.output());
      assertFalse(Files.exists(dir.resolve("runs")), "a run was opened");
    }
  }

  /**
   * The Direct runner: a progress bar of the images read (a plain line when not on a terminal),
   * ending at all of them. Run again on the same inputs, it skips before opening a run: no empty
   * ingest run per re-run in MLflow.
   */
  @Test
  void anIngestOnTheDirectRunnerShowsItsProgressAndItsRerunOpensNoRun() throws Exception {
    SyntheticDataset.Result data = synth();
    String output = ingest(data, "direct");
    assertTrue(output.lines().anyMatch(line -> line.startsWith("[========================] 40/40 images  ")), output);
    assertEquals(1, runFolders(), "one run");
    String again = ingest(data, "direct");
    assertTrue(again.contains("gz ingest: Skipped: " + dir.resolve("data") + " is up to date"), again);
    assertEquals(1, runFolders(), "no run for the skipped re-run: " + again);
  }

  private long runFolders() throws IOException {
    try (Stream<Path> folders = Files.list(dir.resolve("runs"))) {
      return folders.filter(Files::isDirectory).filter(f -> !f.getFileName().toString().startsWith(".")).count();
    }
  }

  private SyntheticDataset.Result synth() throws IOException {
    return SyntheticDataset.generate(SynthOptions.defaults().withCount(40).withSeed(5), dir.resolve("synth"));
  }

  private String ingest(String runner) throws Exception {
    return ingest(synth(), runner);
  }

  private String ingest(SyntheticDataset.Result data, String runner) throws Exception {
    try (GzProcess ingest = GzProcess.startWithout("test-classes", dir,
        Map.of(Tracking.URI_ENV, "", Tracking.RUNS_DIR_ENV, dir.resolve("runs").toString()),
        "ingest", "--images", data.imagesDir().toString(), "--labels", data.labelsCsv().toString(),
        "--out", dir.resolve("data").toString(), "--runner", runner)) {
      assertEquals(0, ingest.waitFor(Duration.ofMinutes(3)), ingest.output());
      assertTrue(ingest.output().contains("Wrote " + dir.resolve("data")) || ingest.output().contains("Skipped"),
          ingest.output());
      return ingest.output();
    }
  }
}
