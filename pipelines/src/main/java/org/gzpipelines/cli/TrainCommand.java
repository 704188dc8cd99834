package org.gzpipelines.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.model.config.TrainConfig;
import org.gzpipelines.model.train.GalaxyTrainer;
import org.gzpipelines.run.StageContext;
import org.gzpipelines.tracking.RunStatus;
import org.gzpipelines.tracking.Tracking;
import org.gzpipelines.train.Train;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gz train}: trains a network as a config's {@code train:} section says, tracked in MLflow. */
@Command(
    name = "train",
    header = "Train a classifier (baseline, custom CNN, ResNet) from a config.",
    mixinStandardHelpOptions = true,
    description = "Train a Galaxy Zoo classifier (mean baseline, custom CNN, ResNet-18/34) on ingested Avro "
        + "shards with DJL. Logs the config, RMSE curves against images seen, the models and a "
        + "loss-curve plot to MLflow (or to a local run folder under GZ_RUNS_DIR, default ./runs, "
        + "when MLFLOW_TRACKING_URI is unset). Ctrl-C stops cleanly with a checkpoint; --resume "
        + "continues it.")
final class TrainCommand implements Callable<Integer> {

  @Mixin ConfigFlags flags;

  @Option(names = "--resume", paramLabel = "<run>",
      description = "Continue a stopped run: its run folder or run id (uses its saved config unless --config is given).")
  String resume;

  @Override
  public Integer call() throws Exception {
    if (flags.file().isEmpty() && resume == null) {
      throw new UserError("give --config <yaml> (e.g. configs/demo.yaml), or --resume <run> to continue a run");
    }
    try (Tracking tracking = Tracking.fromEnvironment()) {
      Path checkpoint = resume == null ? null : GalaxyTrainer.findCheckpoint(resume, tracking.runsDir());
      ExperimentConfigFile cfg = flags.file().isPresent()
          ? flags.resolve("train", TrainConfig.class)
          : flags.overrides(GalaxyTrainer.checkpointConfig(checkpoint), "train", TrainConfig.class);
      Train train = new Train(cfg, checkpoint).checkData();
      GalaxyTrainer.Result result = StageContext.of(tracking, cfg, flags.file().orElse(null), null)
          .run("train", train.runName(), train.params(), train);
      return result.status() == RunStatus.KILLED ? 130 : 0;
    }
  }
}
