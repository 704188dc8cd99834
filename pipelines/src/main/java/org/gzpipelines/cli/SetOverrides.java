package org.gzpipelines.cli;

import java.util.ArrayList;
import java.util.List;
import org.gzpipelines.model.config.ExperimentConfigFile;
import picocli.CommandLine.Option;

/**
 * {@code --set key=value}, repeatable: any config key from the command line, including those no
 * flag has ({@code train.augment.noise}), as in Hydra or {@code mlflow run -P}. Shared by the stage
 * commands ({@link ConfigFlags}) and {@code gz run}.
 */
final class SetOverrides {

  @Option(names = "--set", paramLabel = "<key=value>",
      description = "Override any config key, e.g. --set train.epochs=3 --set train.augment.noise=0.02"
          + " (repeatable; the value is read as YAML: quote a list for the shell, --set 'stages=[synth, ingest]').")
  List<String> sets = new ArrayList<>();

  /** {@code cfg} with every {@code --set}, in the order given. */
  ExperimentConfigFile apply(ExperimentConfigFile cfg) {
    for (String set : sets) {
      cfg = cfg.withOverride(set);
    }
    return cfg;
  }
}
