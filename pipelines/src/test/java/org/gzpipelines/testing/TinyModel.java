package org.gzpipelines.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gzpipelines.files.FileTrees;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.model.train.GalaxyTrainer;
import org.gzpipelines.predict.ModelRef;
import org.gzpipelines.tracking.TrackedRun;
import org.gzpipelines.tracking.Tracking;

/**
 * One small CNN trained (for real, with the model module's trainer) on a {@link MergerSky} folder,
 * shared by every test class in the JVM so the suite trains it once.
 *
 * @param root temp folder holding {@code data/} and {@code runs/}
 * @param runId the training run's id (its folder is {@code runs/<runId>})
 */
public record TinyModel(Path root, Path data, Path runsDir, String runId, GalaxyTrainer.Result result) {

  public static final int SIZE = 32;
  public static final int TRAIN = 1000;
  public static final int VAL = 400;
  public static final int TEST = 500;
  public static final double TRAIN_MERGER_FRACTION = 0.3;
  public static final double TEST_MERGER_FRACTION = 0.2;

  private static TinyModel shared;

  public static synchronized TinyModel shared() {
    if (shared == null) {
      try {
        Path root = Files.createTempDirectory("gz-tiny-model");
        // Gone with the JVM: every test JVM trains one, and a suite run would leave a few in /tmp.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            FileTrees.delete(root);
          } catch (IOException e) {
            System.err.println("TinyModel: cannot delete " + root + ": " + e);
          }
        }));
        shared = train(root);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  public Path runFolder() {
    return runsDir.resolve(runId);
  }

  /** The model as a stage takes it: the run's best model. */
  public ModelRef ref() {
    return ModelRef.resolve(runFolder().toString(), runsDir);
  }

  private static TinyModel train(Path root) throws IOException {
    Path data = new MergerSky(SIZE).write(root.resolve("data"), TRAIN, VAL, TEST, TRAIN_MERGER_FRACTION,
        TEST_MERGER_FRACTION);
    String yaml = """
        experiment: gz-test
        train:
          data: %s
          run-name: tiny
          architecture: custom-cnn
          custom-cnn:
            filters: [8, 16]
            dense: [32]
            dropout: 0.0
          batch-size: 32
          epochs: 7
          eval-every: 3500
          optimizer:
            lr: 0.003
          seed: 7
        """.formatted(data.toAbsolutePath());
    ExperimentConfigFile config = ExperimentConfigFile.parse(yaml, root.resolve("tiny.yaml"));
    Path runs = root.resolve("runs");
    try (Tracking tracking = Tracking.offline(runs)) {
      TrackedRun run = tracking.startRun("gz-test", "tiny");
      GalaxyTrainer.Result result = new GalaxyTrainer(config).console(null).train(run, null);
      return new TinyModel(root, data, runs, run.runId(), result);
    }
  }
}
