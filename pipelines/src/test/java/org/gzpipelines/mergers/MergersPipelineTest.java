package org.gzpipelines.mergers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.gzpipelines.beam.AvroFiles;
import org.gzpipelines.ingest.ImageOps;
import org.gzpipelines.predict.ModelRef;
import org.gzpipelines.run.PipelineRunner;
import org.gzpipelines.run.StageContext;
import org.gzpipelines.schemas.Galaxy;
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
        test.addAll(AvroFiles.read(f, Galaxy.class));
      }
    }
    Path zip = tmp.resolve("test_images.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      for (Galaxy g : test) {
        out.putNextEntry(new ZipEntry("images_test/" + g.getGalaxyId() + ".jpg"));
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(ImageOps.toImage(g), "jpg", jpeg);
        out.write(jpeg.toByteArray());
        out.closeEntry();
      }
      out.putNextEntry(new ZipEntry("images_test/notes.jpg"));
      out.write(new byte[] {1, 2, 3});
      out.putNextEntry(new ZipEntry("images_test/123.jpg"));
      out.write(new byte[] {1, 2, 3});
    }
    // Raw images are prepared as the model's recorded preprocessing says (its data's manifest).
    MergersParams p = params(tmp.resolve("out"));
    p.images = zip.toString();
    MergerMeasurement.Result r;
    try (Tracking tracking = Tracking.offline(tmp.resolve("runs"))) {
      r = measure(tracking, tracking.startRun("gz-test", "mergers-raw"), p);
    }
    assertEquals(TinyModel.TEST, r.testGalaxies(), "one prediction per readable image");
    assertEquals(2, MergerMeasurement.deadLetters(tmp.resolve("out")), "the bad name and the undecodable image");
    assertTrue(r.estimate().corrected().contains(TinyModel.TEST_MERGER_FRACTION),
        "JPEG round trip still measures the fraction: " + r.estimate().corrected());
  }

  /** The stage's parameters for the shared {@link TinyModel}'s data, writing into {@code out}. */
  static MergersParams params(Path out) {
    TinyModel tiny = TinyModel.shared();
    MergersParams p = new MergersParams();
    p.model = tiny.runFolder().toString();
    p.images = tiny.data().toString();
    p.validation = tiny.data().toString();
    p.output = out.toString();
    return p;
  }

  /** Runs the mergers stage in {@code run} on the checked Direct runner. */
  static MergerMeasurement.Result measure(Tracking tracking, TrackedRun run, MergersParams p) throws Exception {
    ModelRef ref = ModelRef.resolve(p.model, TinyModel.shared().runsDir());
    return new StageContext(tracking, null, "gz-test", null, PipelineRunner.directChecked())
        .execute("mergers", p, run, new MergerMeasurement(ref, MergerMeasurement.Settings.defaults()));
  }

  @Test
  void recoversTheKnownMergerFractionWithinItsBootstrapInterval(@TempDir Path tmp) throws Exception {
    MergersParams o = params(tmp.resolve("out"));
    double truth = TinyModel.TEST_MERGER_FRACTION;
    o.truth = tmp.resolve("truth.json").toString();
    Files.writeString(Path.of(o.truth), String.format(java.util.Locale.ROOT, "{\"generator\": \"MergerSky\", \"seed\": 0,"
        + " \"test\": {\"directory\": \"test\", \"count\": %d, \"requestedMergerFraction\": %s, \"mergerCount\": %d,"
        + " \"trueMergerFraction\": %s, \"galaxies\": []}}", TinyModel.TEST, truth,
        Math.round(truth * TinyModel.TEST), truth));
    MergerMeasurement.Result r;
    String runId;
    try (Tracking tracking = Tracking.offline(model.runsDir())) {
      TrackedRun run = tracking.startChildOf(model.runId(), "mergers");
      runId = run.runId();
      r = measure(tracking, run, o);
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
