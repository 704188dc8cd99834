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
import org.gzpipelines.testing.GzProcess;
import org.gzpipelines.tracking.Tracking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real SIGTERM to {@code gz synth} (a child JVM) while it draws galaxies: it stops there, not
 * after the whole set, ends its run KILLED, exits 143, keeps no half-written set, and the same
 * command then writes into the same folder.
 */
class SynthSignalsTest {

  private static final Pattern RUN_ID = Pattern.compile("gz synth: run (\\w+) in experiment");

  @TempDir Path dir;

  @Test
  void sigtermStopsGenerationAndTheSameCommandThenWritesTheFolder() throws Exception {
    Path runs = dir.resolve("runs");
    Path out = dir.resolve("sky");
    Map<String, String> offline = Map.of(Tracking.RUNS_DIR_ENV, runs.toString());
    String runId;
    try (GzProcess synth = GzProcess.start(dir, offline, "synth", "--out", out.toString(), "--count", "20000",
        "--test-count", "0", "--seed", "5")) {
      synth.await("the first tenth", Duration.ofMinutes(2), () -> synth.output().contains("images_training_rev1: 2000/"));
      synth.signal("TERM");
      assertEquals(143, synth.waitFor(Duration.ofMinutes(1)), synth.output());
      assertTrue(synth.output().contains("stopped by SIGTERM"), synth.output());
      assertFalse(synth.output().contains("images_training_rev1: 10000/"), "stopped where it was: " + synth.output());
      Matcher m = RUN_ID.matcher(synth.output());
      assertTrue(m.find(), synth.output());
      runId = m.group(1);
    }
    assertEquals("KILLED", Tracking.offline(runs).getRun(runId).status());
    try (Stream<Path> left = Files.list(out)) {
      List<String> names = left.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".gz-synth-writing")).toList();
      assertEquals(List.of(), names, "no images, no half-written folder");
    }

    try (GzProcess again = GzProcess.start(dir, offline, "synth", "--out", out.toString(), "--count", "20",
        "--test-count", "0", "--seed", "5")) {
      assertEquals(0, again.waitFor(Duration.ofMinutes(2)), again.output());
    }
    assertTrue(Files.isRegularFile(out.resolve("truth.json")));
    assertFalse(Files.exists(out.resolve(".gz-synth-writing")), "a finished folder has no writing marker");
    try (Stream<Path> images = Files.list(out.resolve("images_training_rev1"))) {
      assertEquals(20, images.count());
    }
  }
}
