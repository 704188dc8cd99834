package org.gzpipelines.mergers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.gzpipelines.beam.AvroFiles;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.ingest.DeadLetterSummary;
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
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
    try (Tracking tracking = Tracking.offline(tmp.resolve("runs"))) {
      r = measure(tracking, tracking.startRun("gz-test", "mergers-raw"), p);
    } finally {
      System.setOut(previous);
    }
    assertEquals(TinyModel.TEST, r.testGalaxies(), "one prediction per readable image");
    Path deadLetters = tmp.resolve("out").resolve("dead-letter");
    assertEquals(2, DeadLetterSummary.read(deadLetters).total(), "the bad name and the undecodable image");
    // The console says which images were left out and why, as gz predict does.
    String printed = console.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("Dead letters: 2") && printed.contains("notes.jpg") && printed.contains("123.jpg"), printed);
    assertTrue(printed.contains("dead letters: " + deadLetters), printed);
    try (var files = Files.list(deadLetters)) {
      assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith(".")).toList(), "no Beam temp folder left");
    }
    assertTrue(r.estimate().corrected().contains(TinyModel.TEST_MERGER_FRACTION),
        "JPEG round trip still measures the fraction: " + r.estimate().corrected());
    // Raw images: each gallery tile is its galaxy's whole frame, read back from the zip, not the model's crop.
    CandidateGallery.Written g = r.candidates();
    assertTrue(g.topShown() + g.belowShown() > 0);
    assertEquals(g.topShown() + g.belowShown(), g.wholeFrames());
  }

  @Test
  void refusesAFolderOfOnlyUnusableImagesAndSaysWhyEachWasRefused(@TempDir Path tmp) throws Exception {
    Path images = Files.createDirectories(tmp.resolve("bad"));
    Files.writeString(images.resolve("galaxy_a.jpg"), "not an id");
    Files.writeString(images.resolve("123456.jpg"), "not a JPEG");
    MergersParams p = params(tmp.resolve("out"));
    p.images = images.toString();
    try (Tracking tracking = Tracking.offline(tmp.resolve("runs"))) {
      UserError e = assertThrows(UserError.class, () -> measure(tracking, tracking.startRun("gz-test", "mergers-bad"), p));
      assertTrue(e.getMessage().contains("Dead letters: 2") && e.getMessage().contains("galaxy_a.jpg")
          && e.getMessage().contains("123456.jpg") && e.getMessage().contains("run again"), e.getMessage());
    }
  }

  /**
   * A synthetic set's labelled images have a known merger fraction too: gz mergers over a gz synth
   * set of labelled images only (the Kaggle-size trial's) failed, its truth.json "describing no test
   * set"; a folder that is none of the set's is real data to it.
   */
  @Test
  void theKnownFractionIsThatOfTheSetTheImagesFolderIs(@TempDir Path tmp) throws Exception {
    Path set = tmp.resolve("synth");
    Files.createDirectories(set.resolve("images_training_rev1"));
    Files.createDirectories(set.resolve("my_sample"));
    Path truth = set.resolve("truth.json"); // as gz synth --test-count 0 writes it, less the galaxies
    Files.writeString(truth, "{\"generator\": \"MergerSky\", \"seed\": 0, \"training\": {\"directory\":"
        + " \"images_training_rev1\", \"count\": 8, \"requestedMergerFraction\": 0.25, \"mergerCount\": 2,"
        + " \"trueMergerFraction\": 0.25, \"galaxies\": []}}");
    assertEquals(0.25, MergerMeasurement.trueFraction(null, set.resolve("images_training_rev1")).getAsDouble());
    assertTrue(MergerMeasurement.trueFraction(null, set.resolve("my_sample")).isEmpty());
    UserError e = assertThrows(UserError.class, () -> MergerMeasurement.trueFraction(truth, set.resolve("my_sample")));
    assertTrue(e.getMessage().contains("describes no test set and no set named my_sample"), e.getMessage());
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
    o.decision = MergersParams.AUTO;
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
      assertEquals("auto", s.params().get("decision"));
      assertEquals("auto", s.params().get("mergers.decision"), s.params().toString());
      assertFalse(s.params().containsKey("mergers.auto"), "a helper of the section is not one of its keys");
      assertEquals(e.criterion().decision(), s.latestMetrics().get("decision_threshold"), 1e-12);
      assertEquals(truth, s.latestMetrics().get("merger_fraction_true"), 1e-12);
    }
    assertTrue(Files.isRegularFile(model.runsDir().resolve(runId).resolve("artifacts/report/mergers.html")));
    System.out.printf("mergers: raw %s, expected %s, corrected %s, true %.3f%n", e.raw(), e.expected(), e.corrected(), truth);
  }
}
