package org.gzpipelines.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.run.Study;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gz run}: the stages of a config (or a sweep) under one parent MLflow run: a {@link Study}. */
@Command(
    name = "run",
    header = "Run the stages of an experiment config (or a sweep) under one parent run.",
    mixinStandardHelpOptions = true,
    description = "Run the stages a config names (stages: [synth, ingest, explore, train, evaluate, "
        + "mergers, predict, real-sample, compare]) in order under one parent MLflow run. A stage whose "
        + "inputs and parameters are those of its last success is skipped, and a training run that "
        + "matches an earlier one is reused (fingerprints in .gz-run/<experiment>.json). A sweep: section trains every grid point as its own run and "
        + "the compare stage draws them together.")
final class RunCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, paramLabel = "<yaml>", description = "Experiment config, e.g. configs/demo.yaml.")
  Path config;

  @Option(names = "--force", description = "Run every stage, even those whose outputs are up to date.")
  boolean force;

  @Mixin SetOverrides sets;

  @Mixin RunnerMixin runner;

  /** What the last {@link #call} produced, for tests. */
  private Study.Outcome outcome;

  Study.Outcome outcome() {
    return outcome;
  }

  @Override
  public Integer call() throws Exception {
    outcome = new Study(sets.apply(ExperimentConfigFile.load(config)), config, runner.runner(), force).run();
    return 0;
  }
}
