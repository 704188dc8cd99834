package org.gzpipelines.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.model.data.ShardSet;
import org.gzpipelines.model.train.GalaxyTrainer;
import org.gzpipelines.tracking.RunStatus;
import org.gzpipelines.tracking.TrackedRun;
import org.gzpipelines.tracking.Tracking;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gz train}: trains a network as a config's {@code train:} section says, tracked in MLflow. */
@Command(
    name = "train",
    header = "Train a classifier (baseline, custom CNN, ResNet) from a config.",
    mixinStandardHelpOptions = true,
    description = {
      "Train a Galaxy Zoo classifier (mean baseline, custom CNN, ResNet-18/34) on ingested Avro shards with DJL.",
      "Logs the config, RMSE curves against images seen, the models and a loss-curve plot to MLflow",
      "(or to a local run folder under GZ_RUNS_DIR, default ./runs, when MLFLOW_TRACKING_URI is unset).",
      "Ctrl-C stops cleanly with a checkpoint; --resume continues it."
    })
final class TrainCommand implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "<yaml>", description = "Experiment config, e.g. configs/demo.yaml.")
  Path config;

  @Option(names = "--resume", paramLabel = "<run>",
      description = "Continue a stopped run: its run folder or run id (uses its saved config unless --config is given).")
  String resume;

  @Option(names = "--data", paramLabel = "<dir>", description = "Ingested data folder (overrides train.data).")
  Path data;

  @Option(names = "--max-images", paramLabel = "N", description = "Budget in training images seen (overrides train.max-images).")
  Long maxImages;

  /** The run id of the last completed {@link #call}, for {@code gz run}. */
  private String lastRunId;

  public String lastRunId() {
    return lastRunId;
  }

  @Override
  public Integer call() {
    if (config == null && resume == null) {
      throw new UserError("give --config <yaml> (e.g. configs/demo.yaml), or --resume <run> to continue a run");
    }
    Tracking tracking = Tracking.fromEnvironment();
    Path checkpoint = resume == null ? null : GalaxyTrainer.findCheckpoint(resume, tracking.runsDir());
    ExperimentConfigFile cfg = config != null ? ExperimentConfigFile.load(config) : GalaxyTrainer.checkpointConfig(checkpoint);
    if (data != null) {
      cfg = cfg.with("train.data", data.toString());
    }
    if (maxImages != null) {
      cfg = cfg.with("train.max-images", maxImages);
    }
    GalaxyTrainer trainer = new GalaxyTrainer(cfg);
    Path dataDir = Path.of(trainer.trainConfig().data);
    // Fail before a run is created when there is nothing to train on.
    ShardSet.of(dataDir, "train");
    ShardSet.of(dataDir, "val");

    CountDownLatch finished = new CountDownLatch(1);
    Thread onCtrlC = new Thread(() -> {
      System.err.println("\ngz train: stopping after this batch, writing a checkpoint (resume with --resume) ...");
      trainer.requestStop();
      try {
        finished.await(5, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "gz-train-stop");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    try (TrackedRun run = tracking.startRun(cfg.experimentName(), trainer.runName())) {
      GalaxyTrainer.Result result = trainer.train(run, checkpoint);
      // Report before releasing the shutdown hook: after Ctrl-C the JVM exits as soon as it returns.
      if (result.status() == RunStatus.KILLED) {
        System.err.println("gz train: stopped; continue with: gz train --resume " + result.workDir().getParent());
        return 130;
      }
      lastRunId = result.runId();
      System.out.println("run " + result.runId() + ": model in " + result.workDir().resolve(GalaxyTrainer.MODEL_DIR)
          + ", best-validation model in " + result.workDir().resolve(GalaxyTrainer.BEST_MODEL_DIR));
    } finally {
      tracking.close();
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(onCtrlC);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook is running and waits for us.
      }
    }
    return 0;
  }
}
