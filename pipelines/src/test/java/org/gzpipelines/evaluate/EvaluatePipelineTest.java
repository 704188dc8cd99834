package org.gzpipelines.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.gzpipelines.beam.AvroFiles;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.predict.ModelRef;
import org.gzpipelines.run.PipelineRunner;
import org.gzpipelines.run.StageContext;
import org.gzpipelines.schemas.Prediction;
import org.gzpipelines.schemas.Split;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.gzpipelines.taxonomy.Question;
import org.gzpipelines.testing.TinyModel;
import org.gzpipelines.tracking.MetricPoint;
import org.gzpipelines.tracking.RunSummary;
import org.gzpipelines.tracking.TrackedRun;
import org.gzpipelines.tracking.Tracking;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluate pipeline on a really trained small CNN (shared across the suite). */
public class EvaluatePipelineTest {

  static TinyModel model;
  static ModelRef ref;

  @BeforeAll
  static void train() {
    model = TinyModel.shared();
    ref = model.ref();
  }

  static EvaluateParams params(Path out, boolean tta) {
    EvaluateParams p = new EvaluateParams();
    p.model = ref.label();
    p.data = model.data().toString();
    p.output = out.toString();
    p.tta = tta;
    return p;
  }

  /** Runs the evaluate stage in {@code run} on the checked Direct runner. */
  static Evaluation.Result evaluate(Tracking tracking, TrackedRun run, EvaluateParams params) throws Exception {
    return new StageContext(tracking, null, "gz-test", null, PipelineRunner.directChecked())
        .execute("evaluate", params, run, new Evaluation(ref));
  }

  @Test
  void resolvesTheRunsBestModel() {
    assertEquals(model.runId(), ref.runId());
    assertTrue(ref.modelDir().endsWith(Path.of("train", "best-model")));
    assertEquals(ref, ModelRef.resolve(model.runId(), model.runsDir()), "a run id resolves like its folder");
    // Without --data, evaluate scores the validation split of the data the model was trained on,
    // found through the run's local copy of the path its config shares as ".../data".
    assertEquals(model.data().toAbsolutePath().normalize(), ref.trainingData().orElseThrow().toAbsolutePath().normalize());
    EvaluateParams noData = params(Path.of("unused"), false);
    noData.data = null;
    new Evaluation(ref).check(noData);
    assertEquals(model.data().toAbsolutePath().normalize(), Path.of(noData.data).toAbsolutePath().normalize());
    // A mistyped answer is refused by check, before any run starts; the taxonomy's names are whole ("odd: merger").
    EvaluateParams mistyped = params(Path.of("unused"), false);
    mistyped.labels = List.of("Class8.6", "odd: smooth");
    UserError e = assertThrows(UserError.class, () -> new Evaluation(ref).check(mistyped));
    assertTrue(e.getMessage().contains("evaluate.labels (--labels): Unknown Galaxy Zoo answer 'odd: smooth'"), e.getMessage());
  }

  @Test
  void evaluatesValAndTestIntoTrackedFiguresAndTheSamePredictionsOnFlink(@TempDir Path tmp) throws Exception {
    Evaluation.Result r;
    String evaluateRunId;
    try (Tracking tracking = Tracking.offline(model.runsDir())) {
      TrackedRun run = tracking.startChildOf(model.runId(), "evaluate");
      evaluateRunId = run.runId();
      r = evaluate(tracking, run, params(tmp.resolve("direct"), false));
    }
    // One prediction record per input image, val and test.
    Map<Long, Prediction> direct = predictions(r.output());
    assertEquals(TinyModel.VAL + TinyModel.TEST, r.predictions());
    assertEquals(TinyModel.VAL + TinyModel.TEST, direct.size());
    assertEquals(TinyModel.TEST, direct.values().stream().filter(p -> p.getSplit() == Split.TEST).count());
    assertTrue(direct.values().stream().allMatch(p -> p.getModelRunId().equals(model.runId())));
    // The same predictions as CSV in the submission's columns, one file per split.
    List<String> valCsv = java.nio.file.Files.readAllLines(r.output().resolve("predictions-val.csv"));
    assertEquals(org.gzpipelines.taxonomy.GalaxyZooTaxonomy.csvHeader(), valCsv.get(0));
    assertEquals(TinyModel.VAL + 1, valCsv.size());
    String[] first = valCsv.get(1).split(",");
    Prediction p0 = direct.get(Long.parseLong(first[0]));
    assertEquals(Split.VAL, p0.getSplit());
    assertEquals(p0.getPredictions().get(36), Float.parseFloat(first[37]));
    assertEquals(TinyModel.TEST + 1, java.nio.file.Files.readAllLines(r.output().resolve("predictions-test.csv")).size());
    assertTrue(direct.values().stream().filter(p -> p.getSplit() == Split.TEST).allMatch(p -> p.getLabels() == null));
    // The pipeline's RMSE is the trainer's own validation RMSE of the same (best) weights.
    assertEquals(TinyModel.VAL, r.rmse().galaxies());
    assertEquals(model.result().bestValRmse(), r.rmse().rmse(), 2e-4);
    assertTrue(r.rmse().rmse() < 0.12, "the CNN learnt the sky: validation RMSE " + r.rmse().rmse());
    // The figures are PNGs: the 37-panel scatter and one extremes grid per default label.
    assertEquals(1 + 7, r.figures().size());
    for (Path png : r.figures()) {
      BufferedImage img = ImageIO.read(png.toFile());
      assertNotNull(img, png + " decodes as an image");
      assertTrue(img.getWidth() > 500, png + " is a real figure");
    }
    // The run is in the tracking backend, as a child of the training run, with metrics and artifacts.
    Path runDir = model.runsDir().resolve(evaluateRunId);
    try (Tracking tracking = Tracking.offline(model.runsDir())) {
      RunSummary s = tracking.getRun(evaluateRunId);
      assertEquals("evaluate", s.runName());
      assertEquals("FINISHED", s.status());
      assertEquals(r.rmse().rmse(), s.latestMetrics().get("val_rmse"), 1e-12);
      assertEquals(r.rmse().perLabel()[36], s.latestMetrics().get("val_rmse/Class11.6"), 1e-12);
      // Per question: the 11 questions' squared errors, weighted by their answers, add up to the overall one.
      double squared = 0;
      for (Question q : GalaxyZooTaxonomy.questions()) {
        double perQuestion = s.latestMetrics().get("val_rmse/Class" + q.number());
        squared += q.size() * perQuestion * perQuestion;
      }
      assertEquals(r.rmse().rmse(), Math.sqrt(squared / GalaxyZooTaxonomy.ANSWER_COUNT), 1e-9);
      assertEquals(Math.sqrt((Math.pow(r.rmse().perLabel()[0], 2) + Math.pow(r.rmse().perLabel()[1], 2)
          + Math.pow(r.rmse().perLabel()[2], 2)) / 3), s.latestMetrics().get("val_rmse/Class1"), 1e-12);
      List<MetricPoint> rate = tracking.metricHistory(evaluateRunId, "images_per_second");
      assertEquals(1, rate.size());
    }
    assertTrue(Files.readString(runDir.resolve("meta.json")).contains(model.runId()), "parent recorded");
    assertTrue(Files.isRegularFile(runDir.resolve("artifacts/figures/" + Evaluation.SCATTER_PNG)));
    assertTrue(Files.isRegularFile(runDir.resolve("artifacts/rmse.json")));

    // The same pipeline on the embedded Flink runner gives the same predictions.
    PipelineRunner flink = new PipelineRunner(PipelineRunner.Kind.FLINK_LOCAL, PipelineRunner.DEFAULT_FLINK_MASTER, 2, false);
    flink.run(EvaluatePipeline.build(flink.options("evaluate"), params(tmp.resolve("flink"), false), ref,
        tmp.resolve("flink")));
    Map<Long, Prediction> onFlink = predictions(tmp.resolve("flink"));
    assertEquals(direct.keySet(), onFlink.keySet());
    for (Map.Entry<Long, Prediction> e : direct.entrySet()) {
      List<Float> a = e.getValue().getPredictions();
      List<Float> b = onFlink.get(e.getKey()).getPredictions();
      for (int j = 0; j < a.size(); j++) {
        // Batches differ between runners; the network's per-image output may differ in the last bits.
        assertEquals(a.get(j), b.get(j), 1e-5, "galaxy " + e.getKey() + " output " + j);
      }
    }
    ValidationScores directScores = ValidationScores.read(params(r.output(), false), r.output());
    ValidationScores flinkScores = ValidationScores.read(params(tmp.resolve("flink"), false), tmp.resolve("flink"));
    assertEquals(r.rmse().rmse(), flinkScores.rmse().rmse(), 1e-6);
    // Each runner's units kept the images of every galaxy the driver ranks; ranked by truth, they are
    // the same galaxies on both (predictions may differ in the last bits).
    for (ValidationScores s : List.of(directScores, flinkScores)) {
      assertEquals(new TreeSet<>(s.extremes().ids()), new TreeSet<>(s.images().keySet()));
    }
    Map<String, List<Ranked>> ranked = new HashMap<>();
    directScores.extremes().lines().forEach(line -> ranked.put(line.key(), line.galaxies()));
    assertEquals(2 * 7, ranked.size(), "the 7 default labels, by truth and by prediction");
    for (Extremes.RankedLine line : flinkScores.extremes().lines()) {
      assertEquals(EvaluatePipeline.EXTREMES, line.galaxies().size(), line.key());
      if (line.key().endsWith("/" + Labels.BY_TRUTH)) {
        assertEquals(ranked.get(line.key()).stream().map(Ranked::galaxyId).toList(),
            line.galaxies().stream().map(Ranked::galaxyId).toList(), line.key());
      }
    }
  }

  @Test
  void testTimeAugmentationAveragesTheEightSymmetries(@TempDir Path tmp) throws Exception {
    Evaluation.Result r;
    try (Tracking tracking = Tracking.offline(tmp.resolve("runs"))) {
      r = evaluate(tracking, tracking.startRun("gz-test", "evaluate-tta"), params(tmp.resolve("tta"), true));
    }
    assertNotNull(r.rmseWithoutTta());
    assertEquals(model.result().bestValRmse(), r.rmseWithoutTta().rmse(), 2e-4, "the plain pass is the plain model");
    assertNotEquals(r.rmseWithoutTta().rmse(), r.rmse().rmse(), "averaging over 8 symmetries changes predictions");
    // The sky is symmetric in distribution: TTA must not make a trained model much worse.
    assertTrue(r.rmse().rmse() < r.rmseWithoutTta().rmse() + 0.02,
        "TTA " + r.rmse().rmse() + " vs plain " + r.rmseWithoutTta().rmse());
    System.out.printf("TTA: validation RMSE %.5f -> %.5f (change %+.5f)%n", r.rmseWithoutTta().rmse(), r.rmse().rmse(),
        r.rmse().rmse() - r.rmseWithoutTta().rmse());
  }

  public static Map<Long, Prediction> predictions(Path out) throws Exception {
    Map<Long, Prediction> byId = new HashMap<>();
    try (Stream<Path> files = Files.list(out.resolve(EvaluatePipeline.PREDICTIONS_DIR))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".avro")).toList()) {
        for (Prediction p : AvroFiles.read(f, Prediction.class)) {
          assertEquals(null, byId.put(p.getGalaxyId(), p), "galaxy " + p.getGalaxyId() + " predicted once");
        }
      }
    }
    return byId;
  }
}
