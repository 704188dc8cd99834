package org.gzpipelines.cli;

import java.util.concurrent.Callable;
import java.util.function.Function;
import org.gzpipelines.predict.ModelParams;
import org.gzpipelines.predict.ModelRef;
import org.gzpipelines.run.Stage;
import picocli.CommandLine.Mixin;

/**
 * A command that runs a trained model over data on Beam (evaluate, mergers, predict): its config
 * section with the flags applied, run as a child of the model's training run. Each subclass names
 * its section, record and stage; picocli reads the mixins declared here.
 */
abstract class ModelStageCommand<P extends ModelParams, R> implements Callable<Integer> {

  @Mixin ConfigFlags flags;

  @Mixin RunnerMixin runner;

  private final String section;
  private final Class<P> type;
  private final Function<ModelRef, Stage<P, R>> stage;

  ModelStageCommand(String section, Class<P> type, Function<ModelRef, Stage<P, R>> stage) {
    this.section = section;
    this.type = type;
    this.stage = stage;
  }

  @Override
  public Integer call() throws Exception {
    try (var call = flags.call(section, type, runner.runner())) {
      call.context().runWithModel(section, call.params(), stage);
    }
    return 0;
  }
}
