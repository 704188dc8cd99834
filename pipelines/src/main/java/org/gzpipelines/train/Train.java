package org.gzpipelines.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.model.config.TrainConfig;
import org.gzpipelines.model.data.ShardCheck;
import org.gzpipelines.model.train.GalaxyTrainer;
import org.gzpipelines.run.PipelineRunner;
import org.gzpipelines.run.Stage;
import org.gzpipelines.run.StageContext;
import org.gzpipelines.run.StageStopped;
import org.gzpipelines.run.StopSignals;
import org.gzpipelines.tracking.RunStatus;
import org.gzpipelines.tracking.TrackedRun;

/**
 * The train stage: the DJL trainer ({@link GalaxyTrainer}) on the config's {@code train:}
 * section. Ctrl-C or SIGTERM ({@link StopSignals}) stops it after the current batch: it writes a
 * checkpoint, the models and the loss curve, ends the run KILLED and throws {@link StageStopped}
 * naming the command that continues it. Training runs in this JVM whatever the pipeline runner.
 */
public final class Train implements Stage<TrainConfig, GalaxyTrainer.Result> {

  private final GalaxyTrainer trainer;
  private final Path checkpoint;
  /** The run folder of a training that stopped with a checkpoint, once it has. */
  private Path stoppedIn;

  /**
   * @param config the whole config (saved beside the model; its {@code train:} section is what is trained)
   * @param checkpoint a checkpoint to continue from, or null
   */
  public Train(ExperimentConfigFile config, Path checkpoint) {
    this.trainer = new GalaxyTrainer(config);
    this.checkpoint = checkpoint;
  }

  /** The bound {@code train:} section, defaults included: the stage's parameters. */
  public TrainConfig params() {
    return trainer.trainConfig();
  }

  /** train.run-name, else the config file's name. */
  public String runName() {
    return trainer.runName();
  }

  /**
   * Fails (before a run is created) when there is nothing to train on, a shard of it is damaged,
   * or a resume has nothing left to train.
   */
  public Train checkData() {
    Path data = Path.of(params().data);
    ShardCheck.split(data, "train");
    ShardCheck.split(data, "val");
    if (checkpoint != null) {
      trainer.checkResumable(checkpoint);
    }
    return this;
  }

  /**
   * The run folder a resume continues in place: the checkpoint's run, when its folder is still
   * there and the config is the one it was trained with (an MLflow run's params cannot change; a
   * changed config continues in a new run tagged {@link GalaxyTrainer#RESUMED_FROM_TAG}).
   */
  public Optional<Path> runToContinue() {
    if (checkpoint == null || !trainer.sameParameters(GalaxyTrainer.checkpointConfig(checkpoint))) {
      return Optional.empty();
    }
    return GalaxyTrainer.runFolderOf(checkpoint);
  }

  /**
   * Trains in {@code stages}: in the run it continues ({@link #runToContinue}), reopened, else in a
   * new run. A stop throws {@link StageStopped} ({@link #stoppedIn} then names the run folder).
   */
  public GalaxyTrainer.Result runIn(StageContext stages) throws Exception {
    Optional<Path> sameRun = runToContinue();
    return sameRun.isPresent() ? stages.execute("train", params(), stages.tracking().reopen(sameRun.get()), this)
        : stages.run("train", runName(), params(), this);
  }

  @Override
  public Path data(TrainConfig params) {
    return Path.of(params.data);
  }

  @Override
  public boolean logsParam(TrainConfig params, String key) {
    return GalaxyTrainer.dependsOn(params, key);
  }

  @Override
  public GalaxyTrainer.Result run(TrainConfig params, TrackedRun run, PipelineRunner runner) {
    GalaxyTrainer.Result result;
    try (StopSignals.Registration stop = StopSignals.onStop(trainer::requestStop)) {
      result = trainer.train(run, checkpoint);
    }
    if (result.status() == RunStatus.KILLED) {
      stoppedIn = result.workDir().getParent();
      // The loss curve is drawn at validations: a run stopped before its first has none to name.
      boolean curve = Files.isRegularFile(result.workDir().resolve(GalaxyTrainer.LOSS_CURVE_PNG));
      throw new StageStopped(String.format(Locale.ROOT, "%,d images trained; checkpoint%s written", result.imagesSeen(),
          curve ? ", model and loss curve" : " and model"), "gz train --resume " + shown(result.workDir().getParent()));
    }
    System.out.println("run " + result.runId() + ": model in " + result.workDir().resolve(GalaxyTrainer.MODEL_DIR)
        + ", best-validation model in " + result.workDir().resolve(GalaxyTrainer.BEST_MODEL_DIR));
    return result;
  }

  /** The run folder this stage's training stopped in, with its checkpoint, if it was stopped. */
  public Optional<Path> stoppedIn() {
    return Optional.ofNullable(stoppedIn);
  }

  /** A folder under the working directory as a relative path (shorter to type), else as is. */
  private static Path shown(Path folder) {
    Path here = Path.of("").toAbsolutePath();
    return folder.startsWith(here) ? here.relativize(folder) : folder;
  }
}
