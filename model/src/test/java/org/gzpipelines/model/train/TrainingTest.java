package org.gzpipelines.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.model.predict.GalaxyPredictor;
import org.gzpipelines.model.predict.SavedModel;
import org.gzpipelines.model.testing.SyntheticShards;
import org.gzpipelines.model.testing.TrainConfigs;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Split;
import org.gzpipelines.tracking.MetricPoint;
import org.gzpipelines.tracking.RunStatus;
import org.gzpipelines.tracking.TrackedRun;
import org.gzpipelines.tracking.Tracking;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real training on a small learnable synthetic data set, tracked offline in local run folders. */
class TrainingTest {

  static final int SIZE = 24;
  @TempDir static Path dir;
  static Path data;
  static Tracking tracking;

  @BeforeAll
  static void data() throws Exception {
    data = new SyntheticShards(SIZE).write(dir.resolve("data"), 2000, 400, 1);
    tracking = Tracking.offline(dir.resolve("runs"));
  }

  static ExperimentConfigFile config(String name, String trainYaml) throws Exception {
    return TrainConfigs.write(dir, name, "test", data, trainYaml);
  }

  static GalaxyTrainer.Result train(ExperimentConfigFile c) {
    TrackedRun run = tracking.startRun(c.experimentName(), c.file().getFileName().toString());
    return new GalaxyTrainer(c).console(System.out).train(run, null);
  }

  static final String CNN = """
        architecture: custom-cnn
        custom-cnn: {filters: [16, 32], dense: [64], dropout: 0.1}
        optimizer: {lr: 0.002}
        batch-size: 32
        max-images: 8000
        eval-every: 2000
      """;

  @Test
  void aTruncatedShardStopsTrainingBeforeAnythingIsTrained() throws Exception {
    Path damaged = dir.resolve("damaged");
    try (Stream<Path> files = Files.walk(data)) {
      for (Path f : files.toList()) {
        Files.copy(f, damaged.resolve(data.relativize(f).toString()));
      }
    }
    Path shard = damaged.resolve("val/part-00001-of-00002.avro");
    try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
      f.setLength(f.length() - 1000);
    }
    for (String architecture : new String[] {"mean-baseline", "custom-cnn"}) {
      ExperimentConfigFile c = TrainConfigs.write(dir, "damaged-" + architecture, "test", damaged,
          "  architecture: " + architecture + "\n");
      String message = assertThrows(UserError.class, () -> train(c)).getMessage();
      assertTrue(message.startsWith(shard + " is truncated") && message.endsWith(": re-run gz ingest --force to rewrite "
          + damaged), message);
    }
  }

  @Test
  void customCnnBeatsTheMeanBaselineByMoreThanThirtyPercent() throws Exception {
    GalaxyTrainer.Result baseline = train(config("baseline", "  architecture: mean-baseline\n"));
    GalaxyTrainer.Result cnn = train(config("cnn", CNN));
    System.out.printf("mean baseline %.4f, custom CNN %.4f%n", baseline.finalValRmse(), cnn.finalValRmse());
    assertEquals(RunStatus.FINISHED, cnn.status());
    assertEquals(8000, cnn.imagesSeen());
    assertTrue(cnn.bestValRmse() < 0.7 * baseline.finalValRmse(),
        "CNN " + cnn.bestValRmse() + " vs mean baseline " + baseline.finalValRmse());

    // History: one row per 2,000 images, on the images-seen axis, in the CSV and the tracked run.
    List<String> csv = Files.readAllLines(cnn.workDir().resolve(GalaxyTrainer.HISTORY_CSV));
    assertEquals(TrainingHistory.HEADER, csv.get(0));
    assertEquals(5, csv.size());
    List<MetricPoint> val = tracking.metricHistory(cnn.runId(), "val_rmse");
    assertEquals(List.of(2000L, 4000L, 6000L, 8000L), val.stream().map(MetricPoint::step).toList());
    assertEquals(4, tracking.metricHistory(cnn.runId(), "train_rmse").size());
    Path artifacts = cnn.workDir().getParent().resolve("artifacts");
    assertTrue(Files.size(artifacts.resolve(GalaxyTrainer.LOSS_CURVE_PNG)) > 1000);
    assertTrue(Files.isRegularFile(artifacts.resolve("model/model-0000.params")));
    assertTrue(Files.isRegularFile(artifacts.resolve("best-model/model.json")));
    assertTrue(Files.isRegularFile(artifacts.resolve("data/manifest.json")));

    // Save and reload: identical predictions; the mean baseline loads the same way.
    List<Galaxy> some = new SyntheticShards(SIZE).galaxies(Split.VAL, 20, 99);
    try (GalaxyPredictor p = GalaxyPredictor.load(cnn.workDir().resolve(GalaxyTrainer.MODEL_DIR));
        GalaxyPredictor again = GalaxyPredictor.load(cnn.workDir().resolve(GalaxyTrainer.MODEL_DIR))) {
      float[][] a = p.predict(some);
      float[][] b = again.predict(some);
      float[][] c = p.predict(some);
      assertEquals(20, a.length);
      for (int i = 0; i < a.length; i++) {
        assertArrayEquals(a[i], b[i]);
        assertArrayEquals(a[i], c[i]);
      }
      assertEquals("custom-cnn", p.info().architecture());
    }
    try (GalaxyPredictor m = GalaxyPredictor.load(baseline.workDir().resolve(GalaxyTrainer.MODEL_DIR))) {
      assertEquals(37, m.predict(some)[0].length);
      // Its image size and preprocessing, as saved: stages that prepare original images read them.
      assertEquals(SIZE, m.info().height());
      assertNotNull(m.info().preprocessing());
      assertEquals(SavedModel.readInfo(cnn.workDir().resolve(GalaxyTrainer.MODEL_DIR)).preprocessing(),
          m.info().preprocessing());
    }
  }

  @Test
  void resnet18WithTheDecisionTreeHeadTrainsAndLowersItsLoss() throws Exception {
    GalaxyTrainer.Result r = train(config("resnet", """
          architecture: resnet18
          head: decision-tree
          batch-size: 32
          max-images: 1152
          eval-every: 384
          val-max-images: 96
          augment: {rotate90: true, flip: true}
          schedule: {name: cosine, min-lr: 0.0001}
        """));
    TrainingHistory h = TrainingHistory.readCsv(r.workDir().resolve(GalaxyTrainer.HISTORY_CSV));
    assertEquals(3, h.rows().size());
    double first = h.rows().get(0).trainRmse();
    double last = h.rows().get(2).trainRmse();
    assertTrue(last < first * 0.9, "training RMSE " + first + " -> " + last);
    assertEquals(11_195_493, r.parameters());
    // Cosine: the learning rate falls over the budget.
    assertTrue(h.rows().get(2).lr() < h.rows().get(0).lr());
  }
}
