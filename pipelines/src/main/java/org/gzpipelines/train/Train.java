package org.gzpipelines.train;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.model.config.TrainConfig;
import org.gzpipelines.model.data.ShardCheck;
import org.gzpipelines.model.train.GalaxyTrainer;
import org.gzpipelines.run.PipelineRunner;
import org.gzpipelines.run.Stage;
import org.gzpipelines.tracking.TrackedRun;

/**
 * The train stage: the DJL trainer ({@link GalaxyTrainer}) on the config's {@code train:}
 * section, with Ctrl-C turned into a clean stop (checkpoint, run KILLED, how to continue).
 * Training runs in this JVM whatever the pipeline runner.
 */
public final class Train implements Stage<TrainConfig, GalaxyTrainer.Result> {

  private final GalaxyTrainer trainer;
  private final Path checkpoint;

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

  /** Fails (before a run is created) when there is nothing to train on, or a shard of it is damaged. */
  public Train checkData() {
    Path data = Path.of(params().data);
    ShardCheck.split(data, "train");
    ShardCheck.split(data, "val");
    return this;
  }

  @Override
  public GalaxyTrainer.Result run(TrainConfig params, TrackedRun run, PipelineRunner runner) {
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
    try {
      GalaxyTrainer.Result result = trainer.train(run, checkpoint);
      // Report before releasing the shutdown hook: after Ctrl-C the JVM exits as soon as it returns.
      if (result.status() == org.gzpipelines.tracking.RunStatus.KILLED) {
        System.err.println("gz train: stopped; continue with: gz train --resume " + result.workDir().getParent());
      } else {
        System.out.println("run " + result.runId() + ": model in " + result.workDir().resolve(GalaxyTrainer.MODEL_DIR)
            + ", best-validation model in " + result.workDir().resolve(GalaxyTrainer.BEST_MODEL_DIR));
      }
      return result;
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(onCtrlC);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook is running and waits for us.
      }
    }
  }
}
