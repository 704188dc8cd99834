package org.gzpipelines.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.model.predict.GalaxyPredictor;
import org.gzpipelines.model.testing.SyntheticShards;
import org.gzpipelines.model.testing.TrainConfigs;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Split;
import org.gzpipelines.tracking.MetricPoint;
import org.gzpipelines.tracking.RunStatus;
import org.gzpipelines.tracking.Tracking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run stopped midway (as Ctrl-C does) and resumed from its checkpoint ends exactly where an
 * uninterrupted run with the same seed ends: same history, same parameters. The config uses
 * everything that carries state or randomness: Adam, reduce-on-plateau, dropout, augmentation,
 * shuffling across epochs, and a stop in the middle of an epoch and between evaluations.
 */
class ResumeTest {

  @TempDir Path dir;

  @Test
  void resumedRunMatchesAnUninterruptedOne() throws Exception {
    Path data = new SyntheticShards(16).write(dir.resolve("data"), 600, 100, 3);
    ExperimentConfigFile config = TrainConfigs.write(dir, "resume", "test", data, """
          architecture: custom-cnn
          custom-cnn: {filters: [8, 16], dense: [32], dropout: 0.3}
          batch-size: 32
          max-images: 2400
          eval-every: 480
          checkpoint-every: 480
          augment: {rotate90: true, flip: true}
          schedule: {name: reduce-on-plateau, patience: 0, factor: 0.5}
          reader: {shuffle-buffer: 100}
        """);
    Tracking tracking = Tracking.offline(dir.resolve("runs"));

    GalaxyTrainer.Result whole = new GalaxyTrainer(config).console(null)
        .train(tracking.startRun("test", "whole"), null);

    ByteArrayOutputStream said = new ByteArrayOutputStream();
    GalaxyTrainer stopped = new GalaxyTrainer(config).console(new PrintStream(said, true)).onBatch((t, seen) -> {
      if (seen >= 1056) { // mid-epoch (600 an epoch), between evaluations, after an LR cut maybe
        t.requestStop();
      }
    });
    GalaxyTrainer.Result killed = stopped.train(tracking.startRun("test", "killed"), null);
    assertEquals(RunStatus.KILLED, killed.status());
    assertTrue(killed.imagesSeen() >= 1056 && killed.imagesSeen() < 1100, "stopped at " + killed.imagesSeen());
    // Stopped between evaluations: the summary dates its RMSE to the last one, not to the stop.
    assertTrue(Pattern.compile(String.format(Locale.ROOT, "KILLED after %,d images: last validation RMSE \\d\\.\\d{5} at"
        + " [\\d,]+ \\(best ", killed.imagesSeen())).matcher(said.toString()).find(), said.toString());
    Path checkpoint = killed.workDir().resolve(GalaxyTrainer.CHECKPOINT_DIR);
    assertTrue(Checkpoint.exists(checkpoint));

    GalaxyTrainer.Result resumed = new GalaxyTrainer(config).console(null)
        .train(tracking.startRun("test", "resumed"), checkpoint);
    assertEquals(RunStatus.FINISHED, resumed.status());
    assertEquals(2400, resumed.imagesSeen());
    // Continued in a new run: linked to the stopped one, its evaluations copied exactly (values, original times).
    assertEquals(killed.runId(), tracking.getRun(resumed.runId()).tags().get(GalaxyTrainer.RESUMED_FROM_TAG));
    List<MetricPoint> stoppedPoints = tracking.metricHistory(killed.runId(), "val_rmse");
    assertFalse(stoppedPoints.isEmpty());
    assertEquals(stoppedPoints, tracking.metricHistory(resumed.runId(), "val_rmse").subList(0, stoppedPoints.size()));

    List<TrainingHistory.Row> a = TrainingHistory.readCsv(whole.workDir().resolve(GalaxyTrainer.HISTORY_CSV)).rows();
    List<TrainingHistory.Row> b = TrainingHistory.readCsv(resumed.workDir().resolve(GalaxyTrainer.HISTORY_CSV)).rows();
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).imagesSeen(), b.get(i).imagesSeen());
      assertEquals(a.get(i).trainRmse(), b.get(i).trainRmse(), 1e-5, "train RMSE at row " + i);
      assertEquals(a.get(i).valRmse(), b.get(i).valRmse(), 1e-5, "val RMSE at row " + i);
      assertEquals(a.get(i).lr(), b.get(i).lr(), 1e-9, "lr at row " + i);
    }
    assertEquals(whole.finalValRmse(), resumed.finalValRmse(), 1e-6);

    List<Galaxy> probe = new SyntheticShards(16).galaxies(Split.VAL, 16, 42);
    try (GalaxyPredictor p = GalaxyPredictor.load(whole.workDir().resolve(GalaxyTrainer.MODEL_DIR));
        GalaxyPredictor q = GalaxyPredictor.load(resumed.workDir().resolve(GalaxyTrainer.MODEL_DIR))) {
      float[][] x = p.predict(probe);
      float[][] y = q.predict(probe);
      for (int i = 0; i < x.length; i++) {
        assertArrayEquals(x[i], y[i], 1e-5f);
      }
    }
  }
}
