package org.gzpipelines.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gzpipelines.mergers.DomainShift;
import org.gzpipelines.model.testing.GalaxyShardWriter;
import org.gzpipelines.schemas.Split;
import org.gzpipelines.testing.MergerSky;
import org.gzpipelines.testing.TinyModel;
import org.gzpipelines.tracking.RunSummary;
import org.gzpipelines.tracking.TrackedRun;
import org.gzpipelines.tracking.Tracking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gz evaluate on an ingested folder with an unlabelled test split runs the mergers' domain-shift
 * guard on it, for real (the shared tiny CNN, the Direct runner): silent when the test split is
 * drawn like the validation split (with another merger fraction), loud on console, tag, metric and
 * text artifact when its images have another sky.
 */
class EvaluateGuardTest {

  private record Run(Evaluation.Result result, RunSummary summary, String console) {}

  private static Run evaluate(Path tmp, Path data) throws Exception {
    EvaluatePipelineTest.train();
    EvaluateParams p = EvaluatePipelineTest.params(tmp.resolve("out"), false);
    p.data = data.toString();
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
    try (Tracking tracking = Tracking.offline(tmp.resolve("runs"))) {
      TrackedRun run = tracking.startRun("gz-test", "evaluate-guard");
      Evaluation.Result r = EvaluatePipelineTest.evaluate(tracking, run, p);
      return new Run(r, tracking.getRun(r.runId()), console.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(previous);
      System.out.print(console.toString(StandardCharsets.UTF_8));
    }
  }

  @Test
  void aTestSplitLikeTheValidationSplitPasses(@TempDir Path tmp) throws Exception {
    // The shared data: the test split has 20% mergers, the validation split 30%.
    Run run = evaluate(tmp, TinyModel.shared().data());
    DomainShift shift = run.result().domainShift().orElseThrow();
    assertFalse(shift.detected(), "no shift: " + shift.shifted());
    assertEquals(TinyModel.TEST, shift.testGalaxies());
    assertFalse(Double.isNaN(shift.mergerFraction()), "validation drawn at the estimated merger fraction");
    assertEquals("none", run.summary().tags().get("gz.evaluate.domain_shift"));
    assertEquals(0.0, run.summary().latestMetrics().get("domain_shift"));
    assertTrue(run.console().contains("domain-shift check: no shift"), run.console());
    int both = TinyModel.VAL + TinyModel.TEST;
    assertTrue(run.console().contains(String.format(java.util.Locale.ROOT, "[========================] %,d/%,d images",
        both, both)), "a progress bar over both splits: " + run.console());
    Path text = tmp.resolve("runs").resolve(run.result().runId()).resolve("artifacts").resolve(Evaluation.DOMAIN_SHIFT_TXT);
    assertTrue(Files.readString(text).contains("image.sky-noise"), "every comparison is in the artifact");
  }

  @Test
  void aTestSplitWithAnotherSkyIsCalledShifted(@TempDir Path tmp) throws Exception {
    // The shared validation split, and a test split of the same kind of galaxies on a noisier sky.
    Path data = tmp.resolve("shifted");
    Path val = data.resolve("val");
    Files.createDirectories(val);
    try (Stream<Path> parts = Files.list(TinyModel.shared().data().resolve("val"))) {
      for (Path part : parts.toList()) {
        Files.copy(part, val.resolve(part.getFileName()));
      }
    }
    GalaxyShardWriter.write(data.resolve("test"), MergerSky.onANoisierSky(
        new MergerSky(TinyModel.SIZE).galaxies(Split.TEST, 300, TinyModel.TEST_MERGER_FRACTION, 9), 3), 1,
        GalaxyShardWriter.DEFAULT_SYNC_INTERVAL);
    GalaxyShardWriter.writeManifest(data, "shifted", TinyModel.SIZE, Map.of("VAL", (long) TinyModel.VAL, "TEST", 300L));

    Run run = evaluate(tmp, data);
    DomainShift shift = run.result().domainShift().orElseThrow();
    assertTrue(shift.detected());
    List<String> keys = shift.shifted().stream().map(DomainShift.Comparison::key).toList();
    assertTrue(keys.contains("image.sky-level") && keys.contains("image.sky-noise"), keys.toString());
    assertTrue(run.console().contains("!!!! DOMAIN SHIFT"), run.console());
    assertTrue(run.console().contains("image.sky-noise (sky noise"), "names the shifted quantity: " + run.console());
    assertTrue(run.summary().tags().get("gz.evaluate.domain_shift").contains("image.sky-noise"));
    assertEquals(1.0, run.summary().latestMetrics().get("domain_shift"));
    Path text = tmp.resolve("runs").resolve(run.result().runId()).resolve("artifacts").resolve(Evaluation.DOMAIN_SHIFT_TXT);
    assertTrue(Files.readString(text).startsWith("DOMAIN SHIFT"), Files.readString(text));
  }
}
