package org.gzpipelines.model.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gzpipelines.model.config.ExperimentConfigFile;

/** Experiment config files for the training tests, as a user writes them, pointing at test data. */
public final class TrainConfigs {
  private TrainConfigs() {}

  /**
   * Writes {@code <dir>/<name>.yaml} (experiment, then a train section with {@code data} and the
   * given keys, each line indented two spaces) and loads it.
   */
  public static ExperimentConfigFile write(Path dir, String name, String experiment, Path data, String trainKeys)
      throws IOException {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, "experiment: " + experiment + "\ntrain:\n  data: " + data + "\n" + trainKeys);
    return ExperimentConfigFile.load(file);
  }
}
