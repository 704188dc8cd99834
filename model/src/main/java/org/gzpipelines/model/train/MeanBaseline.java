package org.gzpipelines.model.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.model.config.TrainConfig;
import org.gzpipelines.model.data.GalaxyBatchReader;
import org.gzpipelines.model.data.HostBatch;
import org.gzpipelines.model.data.ShardCheck;
import org.gzpipelines.model.data.ShardSet;
import org.gzpipelines.model.predict.SavedModel;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.gzpipelines.tracking.MetricPoint;
import org.gzpipelines.tracking.RunStatus;
import org.gzpipelines.tracking.TrackedRun;

/**
 * The mean-label baseline: predicts the training-set mean of each of the 37 labels for every
 * galaxy. One streaming pass over the training shards for the means, one over validation for the
 * RMSE; saved as a model folder the evaluate stage loads like any other.
 */
final class MeanBaseline {

  /**
   * The train keys (below {@code train.}) that decide the baseline's model: the data and the
   * validation subset its RMSE is measured on. Not {@code batch-size}, which it also reads: the sums
   * run in file order whatever the batch, so it changes memory, not the means. {@code gz run}
   * fingerprints a baseline run by these alone, so a study that changes only the network's keys
   * (augmentation, optimiser, budget) reuses its baseline.
   */
  static final Set<String> KEYS = Set.of("architecture", "data", "val-max-images");

  private final ExperimentConfigFile config;
  private final TrainConfig c;
  private final PrintStream console;

  MeanBaseline(ExperimentConfigFile config, TrainConfig c, PrintStream console) {
    this.config = config;
    this.c = c;
    this.console = console;
  }

  /** The 37 label means of a split (double sums, so millions of images lose nothing). */
  static float[] means(ShardSet set, int batchSize) {
    int k = GalaxyZooTaxonomy.ANSWER_COUNT;
    double[] sums = new double[k];
    long n = 0;
    try (GalaxyBatchReader r = GalaxyBatchReader.open(set, GalaxyBatchReader.Options.sequential(batchSize), 0, 0)) {
      while (r.hasNext()) {
        HostBatch b = r.next();
        for (int i = 0; i < b.size(); i++) {
          for (int j = 0; j < k; j++) {
            sums[j] += b.labels()[i * k + j];
          }
        }
        n += b.size();
      }
    }
    float[] means = new float[k];
    for (int j = 0; j < k; j++) {
      means[j] = (float) (sums[j] / Math.max(1, n));
    }
    return means;
  }

  /** RMSE of predicting {@code means} for every galaxy of a split. */
  static double rmse(ShardSet set, float[] means, int batchSize, long maxImages) {
    int k = GalaxyZooTaxonomy.ANSWER_COUNT;
    double se = 0;
    long values = 0;
    GalaxyBatchReader.Options o = GalaxyBatchReader.Options.sequential(batchSize).withMaxRecords(maxImages);
    try (GalaxyBatchReader r = GalaxyBatchReader.open(set, o, 0, 0)) {
      while (r.hasNext()) {
        HostBatch b = r.next();
        for (int i = 0; i < b.size() * k; i++) {
          double d = b.labels()[i] - means[i % k];
          se += d * d;
        }
        values += (long) b.size() * k;
      }
    }
    return Math.sqrt(se / Math.max(1, values));
  }

  GalaxyTrainer.Result run(TrackedRun run) {
    long start = System.nanoTime();
    Path data = Path.of(c.data);
    ShardSet train = ShardCheck.split(data, "train");
    ShardSet val = ShardCheck.split(data, "val");
    GalaxyTrainer gt = new GalaxyTrainer(config).console(console);
    long perEpoch = train.countRecords();
    HostBatch probe = GalaxyTrainer.firstImage(train);
    gt.logRunParameters(run, train, val, perEpoch, probe);
    run.logParam("model.parameters", Integer.toString(GalaxyZooTaxonomy.ANSWER_COUNT));
    float[] means = means(train, c.batchSize);
    double trainRmse = rmse(train, means, c.batchSize, 0);
    double valRmse = rmse(val, means, c.batchSize, c.valMaxImages);
    double elapsed = (System.nanoTime() - start) / 1e9;
    TrainingHistory history = new TrainingHistory();
    history.add(new TrainingHistory.Row(perEpoch, trainRmse, valRmse, 0, elapsed, System.currentTimeMillis()));
    // Its RMSEs only: a learning rate of 0 would read as a setting of a baseline that has none.
    List<MetricPoint> rmses = history.rows().get(0).rmsePoints();
    rmses.forEach(p -> run.logMetric(p.key(), p.value(), p.step(), p.timestamp()));
    Path work = GalaxyTrainer.createDirectories(run.localDir().resolve(GalaxyTrainer.WORK_DIR));
    SavedModel.write(work.resolve(GalaxyTrainer.MODEL_DIR), null, GalaxyTrainer.modelYaml(config, c),
        new SavedModel.Info("mean-baseline", "none", probe.height(), probe.width(), probe.channels(),
            GalaxyZooTaxonomy.ANSWER_COUNT, valRmse, perEpoch, means, GalaxyTrainer.preprocessing(c)), probe);
    history.writeCsv(work.resolve(GalaxyTrainer.HISTORY_CSV));
    Path model = work.resolve(GalaxyTrainer.MODEL_DIR);
    run.logModel(model, SavedModel.readInfo(model).summary(), rmses);
    run.logArtifact(work.resolve(GalaxyTrainer.HISTORY_CSV), "");
    if (console != null) {
      console.printf(Locale.ROOT, "mean baseline over %,d training images: train RMSE %.5f, validation RMSE %.5f%n",
          perEpoch, trainRmse, valRmse);
    }
    return new GalaxyTrainer.Result(run.runId(), work, RunStatus.FINISHED, perEpoch, valRmse, valRmse,
        GalaxyZooTaxonomy.ANSWER_COUNT);
  }
}
