package org.gzpipelines.mergers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import javax.imageio.ImageIO;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.gzpipelines.evaluate.ModelRef;
import org.gzpipelines.testing.TinyModel;
import org.gzpipelines.tracking.RunSummary;
import org.gzpipelines.tracking.TrackedRun;
import org.gzpipelines.tracking.Tracking;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The merger fraction of a synthetic test set with a known fraction, measured with a trained CNN. */
class MergersPipelineTest {

  static TinyModel model;

  @BeforeAll
  static void train() {
    model = TinyModel.shared();
  }

  @Test
  void recoversTheKnownMergerFractionWithinItsBootstrapInterval(@TempDir Path tmp) throws Exception {
    ModelRef ref = ModelRef.resolve(model.runFolder().toString(), model.runsDir());
    MergersOptions o = PipelineOptionsFactory.as(MergersOptions.class);
    o.setRunner(DirectRunner.class);
    o.setModelDir(ref.modelDir().toString());
    o.setModelRunId(ref.label());
    o.setImages(model.data().toString());
    o.setValidation(model.data().toString());
    o.setOutput(tmp.resolve("out").toString());
    double truth = TinyModel.TEST_MERGER_FRACTION;
    MergerMeasurement.Result r;
    String runId;
    try (Tracking tracking = Tracking.offline(model.runsDir())) {
      TrackedRun run = tracking.startChildOf(model.runId(), "mergers");
      runId = run.runId();
      r = MergerMeasurement.run(o, MergerMeasurement.Settings.defaults(0.4), OptionalDouble.of(truth), run);
    }
    MergerFractionEstimator.Estimate e = r.estimate();
    assertEquals(TinyModel.TEST, r.testGalaxies(), "one prediction per test image");
    assertEquals(TinyModel.VAL, r.validationGalaxies());
    assertTrue(e.corrected().contains(truth),
        "corrected " + e.corrected() + " should contain the true fraction " + truth);
    assertTrue(e.corrected().high() - e.corrected().low() < 0.15, "a useful interval: " + e.corrected());
    assertTrue(e.calibration().completeness() > 0.8, "completeness " + e.calibration().completeness());
    for (Path png : new Path[] {r.report().fractionFigure(), r.report().calibrationFigure()}) {
      assertNotNull(ImageIO.read(png.toFile()), png + " decodes");
    }
    assertTrue(Files.readString(r.report().html()).contains("true fraction"));
    try (Tracking tracking = Tracking.offline(model.runsDir())) {
      RunSummary s = tracking.getRun(runId);
      assertEquals("FINISHED", s.status());
      assertEquals(e.corrected().value(), s.latestMetrics().get("merger_fraction_corrected"), 1e-12);
      assertEquals(truth, s.latestMetrics().get("merger_fraction_true"), 1e-12);
    }
    assertTrue(Files.isRegularFile(model.runsDir().resolve(runId).resolve("artifacts/report/mergers.html")));
    System.out.printf("mergers: raw %s, expected %s, corrected %s, true %.3f%n", e.raw(), e.expected(), e.corrected(), truth);
  }
}
