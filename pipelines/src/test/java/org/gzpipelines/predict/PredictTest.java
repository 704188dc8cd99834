package org.gzpipelines.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.gzpipelines.beam.AvroFiles;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.evaluate.EvaluateParams;
import org.gzpipelines.evaluate.EvaluatePipelineTest;
import org.gzpipelines.evaluate.Evaluation;
import org.gzpipelines.ingest.ImageInput;
import org.gzpipelines.ingest.ImageOps;
import org.gzpipelines.model.config.ConfigException;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.model.predict.SavedModel;
import org.gzpipelines.run.PipelineRunner;
import org.gzpipelines.run.StageContext;
import org.gzpipelines.schemas.DeadLetter;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Prediction;
import org.gzpipelines.schemas.Split;
import org.gzpipelines.testing.GzProcess;
import org.gzpipelines.testing.TinyModel;
import org.gzpipelines.tracking.TrackedRun;
import org.gzpipelines.tracking.Tracking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gz predict} on raw images: the CSV holds exactly what {@code gz evaluate} predicts for the
 * same galaxies with the same model, in the Kaggle submission format, on the Direct runner and on
 * Flink; a bad image is dead-lettered; the CSV is the run's artifact.
 */
class PredictTest {

  /** The competition's columns, spelled out rather than taken from the code under test. */
  static final String KAGGLE_HEADER = "GalaxyID,Class1.1,Class1.2,Class1.3,Class2.1,Class2.2,Class3.1,Class3.2,Class4.1,Class4.2,"
      + "Class5.1,Class5.2,Class5.3,Class5.4,Class6.1,Class6.2,Class7.1,Class7.2,Class7.3,Class8.1,Class8.2,Class8.3,"
      + "Class8.4,Class8.5,Class8.6,Class8.7,Class9.1,Class9.2,Class9.3,Class10.1,Class10.2,Class10.3,Class11.1,Class11.2,"
      + "Class11.3,Class11.4,Class11.5,Class11.6";

  @Test
  void writesNoSubmissionWhenNoImageCouldBePredicted(@TempDir Path tmp) throws Exception {
    TinyModel model = TinyModel.shared();
    ModelRef ref = model.ref();
    Path images = Files.createDirectories(tmp.resolve("images"));
    ImageIO.write(new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB), "png", images.resolve("100.png").toFile());
    Path csv = tmp.resolve("out").resolve("submission.csv");
    try (Tracking tracking = Tracking.offline(model.runsDir())) {
      TrackedRun run = tracking.startChildOf(model.runId(), "predict");
      UserError e = assertThrows(UserError.class, () -> new StageContext(tracking, null, "gz-test", null,
          PipelineRunner.directChecked()).execute("predict", params(ref, images, csv), run, new Submission(ref)));
      assertTrue(e.getMessage().contains("could be predicted") && e.getMessage().contains("wrong-image-shape"),
          e.getMessage());
    }
    assertFalse(Files.exists(csv), "no submission of a header alone");
  }

  @Test
  void theWorkFolderOfAKilledPredictIsRemovedByTheNextCommand(@TempDir Path tmp) throws Exception {
    TinyModel model = TinyModel.shared();
    // Enough images that the prediction runs for seconds after its work folder appears.
    Path images = Files.createDirectories(tmp.resolve("images"));
    List<Galaxy> test = new ArrayList<>();
    try (Stream<Path> shards = Files.list(model.data().resolve("test"))) {
      for (Path shard : shards.sorted().toList()) {
        AvroFiles.read(shard, Galaxy.class).forEach(test::add);
      }
    }
    for (Galaxy g : test) {
      Path first = images.resolve(g.getGalaxyId() + ".png");
      ImageIO.write(ImageOps.toImage(g), "png", first.toFile());
      for (int copy = 1; copy < 16; copy++) {
        Files.copy(first, images.resolve((copy * 10_000_000L + g.getGalaxyId()) + ".png"));
      }
    }
    Path out = Files.createDirectories(tmp.resolve("out"));
    Map<String, String> env = Map.of(Tracking.URI_ENV, "", Tracking.RUNS_DIR_ENV, tmp.resolve("runs").toString());
    String[] predict = {"predict", "--model", model.runFolder().toString(), "--images", images.toString(),
        "--out", out.resolve("submission.csv").toString()};
    Path work;
    try (GzProcess gz = GzProcess.start(tmp, env, predict)) {
      gz.await("a work folder", Duration.ofMinutes(3), () -> workFolders(out).size() == 1);
      work = workFolders(out).get(0);
      gz.signal("KILL");
      assertEquals(137, gz.waitFor(Duration.ofMinutes(1)), gz.output());
    }
    assertTrue(Files.isDirectory(work), "kill -9 leaves the work folder");
    try (GzProcess gz = GzProcess.start(tmp, env, predict)) {
      assertEquals(0, gz.waitFor(Duration.ofMinutes(3)), gz.output());
      assertTrue(gz.output().contains("marked KILLED") && gz.output().contains("removed its unfinished output " + work),
          gz.output());
    }
    assertEquals(List.of(), workFolders(out), "the next command removed it, and its own");
    assertEquals(16 * test.size() + 1, Files.readAllLines(out.resolve("submission.csv")).size());
  }

  private static List<Path> workFolders(Path out) {
    try (Stream<Path> files = Files.list(out)) {
      return files.filter(p -> p.getFileName().toString().startsWith(".submission.csv.work-")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void writesEvaluatesPredictionsAsAKaggleSubmissionAndDeadLettersABadImage(@TempDir Path tmp) throws Exception {
    TinyModel model = TinyModel.shared();
    ModelRef ref = model.ref();
    // Raw images: the ingested test split written back as lossless PNGs (the model's preprocessing
    // keeps them as they are, so predict sees evaluate's pixels), plus one image that is not one.
    Path images = testImagesAsPngs(model, tmp.resolve("images"));
    Files.writeString(images.resolve("999999999.png"), "not an image");

    Map<Long, List<Float>> evaluated = new TreeMap<>();
    try (Tracking tracking = Tracking.offline(model.runsDir())) {
      EvaluateParams e = new EvaluateParams();
      e.model = ref.label();
      e.data = model.data().toString();
      e.output = tmp.resolve("evaluate").toString();
      new StageContext(tracking, null, "gz-test", null, PipelineRunner.directChecked())
          .execute("evaluate", e, tracking.startChildOf(model.runId(), "evaluate"), new Evaluation(ref));
    }
    for (Prediction p : EvaluatePipelineTest.predictions(tmp.resolve("evaluate")).values()) {
      if (p.getSplit() == Split.TEST) {
        evaluated.put(p.getGalaxyId(), p.getPredictions());
      }
    }
    assertEquals(TinyModel.TEST, evaluated.size());

    Path csv = tmp.resolve("out").resolve("submission.csv");
    String runId;
    Submission.Result result;
    try (Tracking tracking = Tracking.offline(model.runsDir())) {
      TrackedRun run = tracking.startChildOf(model.runId(), "predict");
      runId = run.runId();
      result = new StageContext(tracking, null, "gz-test", null, PipelineRunner.directChecked())
          .execute("predict", params(ref, images, csv), run, new Submission(ref));
    }
    List<String> lines = Files.readAllLines(csv);
    assertEquals(KAGGLE_HEADER, lines.get(0));
    assertRowsEqual(evaluated, rows(lines));
    assertEquals(TinyModel.TEST, result.galaxies());

    // The bad image is a dead letter beside the CSV, named from the images folder on.
    assertEquals(1, result.deadLetterCount());
    assertEquals(tmp.resolve("out").resolve("submission.dead-letter"), result.deadLetters());
    List<DeadLetter> dead = deadLetters(result.deadLetters());
    assertEquals(1, dead.size());
    assertEquals("images/999999999.png", dead.get(0).getSource());
    assertTrue(dead.get(0).getReason().startsWith("bad-image: cannot decode"), dead.get(0).getReason());
    try (Stream<Path> left = Files.list(tmp.resolve("out"))) {
      assertEquals(List.of("submission.csv", "submission.dead-letter"),
          left.map(p -> p.getFileName().toString()).sorted().toList(), "the work folder is gone");
    }
    // The CSV is the run's artifact.
    assertEquals(Files.readAllLines(csv), Files.readAllLines(model.runsDir().resolve(runId).resolve("artifacts/submission.csv")));

    // The same stage on Flink (embedded) writes the same rows.
    Path onFlink = tmp.resolve("flink").resolve("submission.csv");
    try (Tracking tracking = Tracking.offline(tmp.resolve("runs"))) {
      PipelineRunner flink = new PipelineRunner(PipelineRunner.Kind.FLINK_LOCAL, PipelineRunner.DEFAULT_FLINK_MASTER, 2, false);
      new StageContext(tracking, null, "gz-test", null, flink)
          .execute("predict", params(ref, images, onFlink), tracking.startRun("gz-test", "predict"), new Submission(ref));
    }
    List<String> flinkLines = Files.readAllLines(onFlink);
    assertEquals(KAGGLE_HEADER, flinkLines.get(0));
    assertRowsEqual(evaluated, rows(flinkLines));

    // --format parquet, from a gz process as a user starts it: without Hadoop on its classpath.
    Path parquet = tmp.resolve("out").resolve("submission.parquet");
    try (GzProcess gz = GzProcess.startWithout("hadoop-", tmp, Map.of(Tracking.URI_ENV, "", Tracking.RUNS_DIR_ENV,
        model.runsDir().toString()), "predict", "--model", ref.label(), "--images", images.toString(), "--format", "parquet",
        "--out", parquet.toString())) {
      assertEquals(0, gz.waitFor(Duration.ofMinutes(3)), gz.output());
      assertTrue(gz.output().contains("Wrote " + parquet), gz.output());
      // The progress bar's last line: every readable image predicted (the damaged one is a dead letter).
      long files = ImageInput.count(images);
      assertTrue(gz.output().contains("] " + (files - 1) + "/" + files + " images  "), gz.output());
    }
    SubmissionParquetFile written = SubmissionParquetFile.read(parquet);
    assertEquals(List.of(KAGGLE_HEADER.split(",")), written.columns());
    assertRowsEqual(evaluated, written.rows());
    assertEquals(written.rows().keySet().stream().sorted().toList(), List.copyOf(written.rows().keySet()), "sorted by GalaxyID");
    assertEquals(ref.label(), written.metadata().get("gz.model"));
    String predictRun = Tracking.localSummary(model.runsDir().resolve(written.metadata().get("gz.run_id"))).runName();
    assertTrue(predictRun.startsWith("predict ") && predictRun.endsWith(images.getFileName().toString()), "named by its images: "
        + predictRun);
    assertTrue(Files.isDirectory(tmp.resolve("out").resolve("submission.dead-letter")), "dead letters beside the Parquet file");

    // Once the bad image is gone, its dead letters go too: none are left to be read as the new output's.
    Files.delete(images.resolve("999999999.png"));
    try (Tracking tracking = Tracking.offline(model.runsDir())) {
      Submission.Result clean = new StageContext(tracking, null, "gz-test", null, PipelineRunner.directChecked())
          .execute("predict", params(ref, images, csv), tracking.startChildOf(model.runId(), "predict"), new Submission(ref));
      assertEquals(null, clean.deadLetters());
    }
    assertFalse(Files.exists(tmp.resolve("out").resolve("submission.dead-letter")), "an earlier run's dead letters removed");

    // The same model with its weights cut short (a copy interrupted): one line that names the file and the fix.
    Path damaged = Files.createDirectories(tmp.resolve("damaged"));
    try (Stream<Path> files = Files.list(ref.modelDir())) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, damaged.resolve(f.getFileName()));
      }
    }
    Path weights = damaged.resolve("model-0000.params");
    Files.write(weights, Arrays.copyOf(Files.readAllBytes(weights), (int) Files.size(weights) / 2));
    try (GzProcess gz = GzProcess.start(tmp, Map.of(Tracking.URI_ENV, "", Tracking.RUNS_DIR_ENV, model.runsDir().toString()),
        "predict", "--model", damaged.toString(), "--images", images.toString(), "--out", tmp.resolve("d.csv").toString())) {
      assertEquals(2, gz.waitFor(Duration.ofMinutes(3)), gz.output());
      assertTrue(gz.output().contains("cannot load the model's weights " + weights + " (EOFException)"), gz.output());
      assertTrue(gz.output().contains("copy or fetch the model again"), gz.output());
      assertFalse(gz.output().contains("caused by"), gz.output());
    }
  }

  /**
   * Flink re-runs the work units of a lost TaskManager, and a unit may have written its file before
   * it was lost: the re-run unit must replace that file, not add one beside it, or the galaxies are
   * read twice (a recovered predict of 61,578 images said 13,312 GalaxyIDs had two images). Here the
   * same pipeline runs twice into one folder, as the units run again after a failover.
   */
  @Test
  void workUnitsRunAgainReplaceTheirFilesSoEachGalaxyIsReadOnce(@TempDir Path tmp) throws Exception {
    TinyModel model = TinyModel.shared();
    Path images = testImagesAsPngs(model, tmp.resolve("images"));
    Path work = tmp.resolve("work");
    SavedModel.Info info = SavedModel.readInfo(model.ref().modelDir());
    for (int attempt = 0; attempt < 2; attempt++) {
      PipelineResult result = PredictPipeline.build(PipelineOptionsFactory.create(),
          new PredictPipeline.Inputs(model.ref(), images, info.preprocessingOrDefault(), 16, work)).run();
      result.waitUntilFinish();
      // The progress a Flink user sees in the web UI, as the units write their predictions themselves.
      MetricResult<Long> predicted = result.metrics().queryMetrics(MetricsFilter.builder()
          .addNameFilter(MetricNameFilter.named("predict", "images")).build()).getCounters().iterator().next();
      assertEquals(TinyModel.TEST, predicted.getAttempted());
    }
    List<Long> read = new ArrayList<>();
    UnitParts.forEach(work.resolve(PredictPipeline.PREDICTIONS), Prediction.class, p -> read.add(p.getGalaxyId()));
    assertEquals(TinyModel.TEST, read.size(), "each galaxy once");
    assertEquals(TinyModel.TEST, new HashSet<>(read).size());
  }

  /** The ingested test split written back as lossless PNGs, one per galaxy, into {@code images}. */
  private static Path testImagesAsPngs(TinyModel model, Path images) throws IOException {
    Files.createDirectories(images);
    try (Stream<Path> shards = Files.list(model.data().resolve("test"))) {
      for (Path shard : shards.sorted().toList()) {
        for (Galaxy g : AvroFiles.read(shard, Galaxy.class)) {
          ImageIO.write(ImageOps.toImage(g), "png", images.resolve(g.getGalaxyId() + ".png").toFile());
        }
      }
    }
    return images;
  }

  @Test
  void refusesTestImagesThatAreMissingOrAFolderWithoutImages(@TempDir Path tmp) throws Exception {
    Files.createDirectories(tmp.resolve("docs/figures"));
    Files.writeString(tmp.resolve("docs/README.md"), "not an image");
    UserError none = assertThrows(UserError.class, () -> PredictImages.checkTestImages(tmp.resolve("docs")));
    assertTrue(none.getMessage().contains(tmp.resolve("docs") + " holds no images: give <GalaxyID>.jpg"), none.getMessage());
    // A labelled ingested folder has no test/ split: it is not searched as raw images (its explore figures).
    Files.createDirectories(tmp.resolve("labelled/train"));
    Files.createDirectories(tmp.resolve("labelled/explore"));
    Files.writeString(tmp.resolve("labelled/manifest.json"), "{}");
    Files.write(tmp.resolve("labelled/explore/before_after.png"), new byte[] {1});
    UserError labelled = assertThrows(UserError.class, () -> PredictImages.checkTestImages(tmp.resolve("labelled")));
    assertTrue(labelled.getMessage().contains(tmp.resolve("labelled") + " is a folder gz ingest wrote without a test/ split")
        && labelled.getMessage().contains("gz evaluate --model <model> --data " + tmp.resolve("labelled")), labelled.getMessage());
    UserError missing = assertThrows(UserError.class, () -> PredictImages.checkTestImages(tmp.resolve("typo")));
    assertTrue(missing.getMessage().contains("typo does not exist"), missing.getMessage());
    // A table of coordinates given as --images is refused before any run opens, with the cutout recipe.
    Files.writeString(tmp.resolve("coords.csv"), "ra,dec\n150.1,2.2\n");
    UserError table = assertThrows(UserError.class, () -> PredictImages.checkTestImages(tmp.resolve("coords.csv")));
    assertTrue(table.getMessage().contains("coords.csv is neither a folder nor an archive")
        && table.getMessage().contains("make 424x424-pixel JPEG cutouts named <GalaxyID>.jpg first"), table.getMessage());

    // An astronomer's own cutouts in FITS or TIFF are named as what gz does not read, not just "no images".
    Files.write(tmp.resolve("docs/figures/100009.fits"), new byte[] {1});
    Files.write(tmp.resolve("docs/100010.TIF"), new byte[] {1});
    UserError onlyFits = assertThrows(UserError.class, () -> PredictImages.checkTestImages(tmp.resolve("docs")));
    assertTrue(onlyFits.getMessage().contains("2 file(s) under " + tmp.resolve("docs") + " are images in a format gz does not"
        + " read, left out (e.g. 100010.TIF, figures/100009.fits): convert them to JPEG or PNG"), onlyFits.getMessage());

    Files.write(tmp.resolve("docs/figures/100008.JPG"), new byte[] {1});
    // an image anywhere in the tree will do; the others are still named, as left out
    assertEquals(Optional.of("2 file(s) under " + tmp.resolve("docs") + " are images in a format gz does not read, left out"
        + " (e.g. 100010.TIF, figures/100009.fits): convert them to JPEG or PNG cutouts to include them"),
        PredictImages.checkTestImages(tmp.resolve("docs")));
    Files.delete(tmp.resolve("docs/figures/100009.fits"));
    Files.delete(tmp.resolve("docs/100010.TIF"));
    assertEquals(Optional.empty(), PredictImages.checkTestImages(tmp.resolve("docs")), "README.md is no image: not named");
  }

  @Test
  void refusesAnOutputWhoseNameSaysTheOtherFormat() {
    PredictParams p = new PredictParams();
    p.out = "predictions.csv";
    p.format = SubmissionFormat.PARQUET;
    List<String> problems = new ArrayList<>();
    p.validate("predict", problems);
    assertEquals(List.of("'predict.out' is predictions.csv but 'predict.format' is parquet: give --format csv,"
        + " or an --out ending in .parquet"), problems);
    // Both from the command line, so the error says so (it said "(defaults)").
    ConfigException flags = assertThrows(ConfigException.class, () -> ExperimentConfigFile.empty()
        .withOverride("predict.out=x.csv").withOverride("predict.format=parquet").section("predict", PredictParams.class));
    assertTrue(flags.getMessage().startsWith("the command line: 'predict.out' is x.csv"), flags.getMessage());

    PredictParams byName = new PredictParams();
    byName.out = "new/predictions.PARQUET";
    assertEquals(SubmissionFormat.PARQUET, byName.outputFormat());
    PredictParams byFlag = new PredictParams();
    byFlag.format = SubmissionFormat.PARQUET;
    assertEquals(Path.of("predictions.parquet"), byFlag.outputFile());
    assertEquals(Path.of("predictions.csv"), new PredictParams().outputFile());
  }

  private static PredictParams params(ModelRef ref, Path images, Path csv) {
    PredictParams p = new PredictParams();
    p.model = ref.label();
    p.images = images.toString();
    p.out = csv.toString();
    return p;
  }

  /** The CSV's rows by GalaxyID, checking they come sorted by it and hold 37 values each. */
  private static Map<Long, List<Float>> rows(List<String> lines) {
    Map<Long, List<Float>> rows = new TreeMap<>();
    long previous = Long.MIN_VALUE;
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",");
      assertEquals(38, cells.length, line);
      long id = Long.parseLong(cells[0]);
      assertTrue(id > previous, "rows sorted by GalaxyID, each once: " + id + " after " + previous);
      previous = id;
      List<Float> values = new ArrayList<>();
      for (int i = 1; i < cells.length; i++) {
        values.add(Float.parseFloat(cells[i]));
      }
      rows.put(id, values);
    }
    return rows;
  }

  private static void assertRowsEqual(Map<Long, List<Float>> expected, Map<Long, List<Float>> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((id, values) -> {
      for (int j = 0; j < values.size(); j++) {
        // Batches differ between the two pipelines; the network's per-image output may differ in the last bits.
        assertEquals(values.get(j), actual.get(id).get(j), 1e-5, "galaxy " + id + " " + KAGGLE_HEADER.split(",")[j + 1]);
      }
    });
  }

  private static List<DeadLetter> deadLetters(Path dir) throws Exception {
    List<DeadLetter> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".avro")).toList()) {
        try (DataFileReader<DeadLetter> r = new DataFileReader<>(f.toFile(), new SpecificDatumReader<>(DeadLetter.class))) {
          r.forEach(out::add);
        }
      }
    }
    return out;
  }
}
