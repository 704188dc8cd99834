package org.gzpipelines.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.model.config.TrainConfig;
import org.gzpipelines.model.train.GalaxyTrainer;
import org.gzpipelines.predict.ModelRef;
import org.gzpipelines.run.StageContext;
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
        + "when MLFLOW_TRACKING_URI is unset). Ctrl-C or SIGTERM stops cleanly after the current batch with a "
        + "checkpoint and ends the run KILLED; --resume continues the same run.")
final class TrainCommand implements Callable<Integer> {

  @Mixin ConfigFlags flags;

  @Option(names = "--resume", paramLabel = "<run>",
      description = "Continue a stopped (or killed) run from its checkpoint, in the same MLflow run: its run folder"
          + " or run id (or runs:/<run id>), or its first 8 or more digits (uses its saved config unless --config is given; a changed"
          + " config continues in a new run).")
  String resume;

  @Override
  public Integer call() throws Exception {
    try (Tracking tracking = Tracking.fromEnvironment()) {
      // An MLflow user names a run runs:/<id>/...; its checkpoint is in the run's folder here.
      Path checkpoint = resume == null ? null
          : GalaxyTrainer.findCheckpoint(ModelRef.runIdIn(resume), tracking.runsDir());
      // Without --config (and --resume), the section's defaults with the flags, as every stage command.
      ExperimentConfigFile cfg = flags.file().isPresent() || resume == null
          ? flags.resolve("train", TrainConfig.class)
          : flags.overrides(GalaxyTrainer.checkpointConfig(checkpoint), "train", TrainConfig.class);
      Train train = new Train(cfg, checkpoint).checkData();
      StageContext stages = StageContext.of(tracking, cfg, flags.file().orElse(null), null);
      Optional<Path> sameRun = train.runToContinue();
      if (checkpoint != null && sameRun.isEmpty()) {
        System.err.println("gz train: the config differs from the checkpoint's (an MLflow run's params cannot change):"
            + " continuing in a new run, tagged " + GalaxyTrainer.RESUMED_FROM_TAG);
      }
      train.runIn(stages);
      return 0; // a stopped training throws StageStopped (exit 130 or 143)
    }
  }
}
