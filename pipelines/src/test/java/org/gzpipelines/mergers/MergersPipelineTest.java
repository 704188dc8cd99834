package org.gzpipelines.mergers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.gzpipelines.evaluate.EvaluateFigures;
import org.gzpipelines.evaluate.Evaluation;
import org.gzpipelines.schemas.Galaxy;
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
  void readsRawTestImagesFromAZipThroughTheIngestTransforms(@TempDir Path tmp) throws Exception {
    // The ingested test split, exported as <GalaxyID>.jpg in a .zip, plus two files ingest rejects.
    List<Galaxy> test = new ArrayList<>();
    try (var files = Files.list(model.data().resolve("test"))) {
      for (Path f : files.sorted().toList()) {
        test.addAll(Evaluation.readAvro(f, Galaxy.class));
      }
    }
    Path zip = tmp.resolve("test_images.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      for (Galaxy g : test) {
        out.putNextEntry(new ZipEntry("images_test/" + g.getGalaxyId() + ".jpg"));
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(EvaluateFigures.toImage(g), "jpg", jpeg);
        out.write(jpeg.toByteArray());
        out.closeEntry();
      }
      out.putNextEntry(new ZipEntry("images_test/notes.jpg"));
      out.write(new byte[] {1, 2, 3});
      out.putNextEntry(new ZipEntry("images_test/123.jpg"));
      out.write(new byte[] {1, 2, 3});
    }
    MergersOptions o = options(tmp.resolve("out"));
    o.setImages(zip.toString());
    o.setExpectedSize(TinyModel.SIZE);
    o.setCropSize(TinyModel.SIZE);
    o.setOutputSize(TinyModel.SIZE);
    MergerMeasurement.Result r;
    try (Tracking tracking = Tracking.offline(tmp.resolve("runs"))) {
      r = MergerMeasurement.run(o, MergerMeasurement.Settings.defaults(0.4), OptionalDouble.empty(),
          tracking.startRun("gz-test", "mergers-raw"));
    }
    assertEquals(TinyModel.TEST, r.testGalaxies(), "one prediction per readable image");
    assertEquals(2, MergerMeasurement.deadLetters(tmp.resolve("out")), "the bad name and the undecodable image");
    assertTrue(r.estimate().corrected().contains(TinyModel.TEST_MERGER_FRACTION),
        "JPEG round trip still measures the fraction: " + r.estimate().corrected());
  }

  static MergersOptions options(Path out) {
    ModelRef ref = ModelRef.resolve(model.runFolder().toString(), model.runsDir());
    MergersOptions o = PipelineOptionsFactory.as(MergersOptions.class);
    o.setRunner(DirectRunner.class);
    o.setModelDir(ref.modelDir().toString());
    o.setModelRunId(ref.label());
    o.setImages(model.data().toString());
    o.setValidation(model.data().toString());
    o.setOutput(out.toString());
    return o;
  }

  @Test
  void recoversTheKnownMergerFractionWithinItsBootstrapInterval(@TempDir Path tmp) throws Exception {
    MergersOptions o = options(tmp.resolve("out"));
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
