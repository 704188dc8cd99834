package org.gzpipelines.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.gzpipelines.evaluate.Compare;
import org.gzpipelines.evaluate.CompareParams;
import org.gzpipelines.run.StageContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** gz compare: validation curves of several training runs on one figure, and a summary table. */
@Command(name = "compare",
    header = "Validation curves of several runs on one figure, with a table.", mixinStandardHelpOptions = true,
    description = "Fetch the validation-RMSE histories of several gz train runs from tracking, draw them on "
        + "one figure against images seen, tabulate best validation RMSE, parameters and training "
        + "time, and log figure and table to a new run \"compare\" (in the runs' experiment when they share one, "
        + "unless --experiment or the config names another).")
final class CompareCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "RUN",
      description = "Run ids, or their first 8 or more digits (or run folders under GZ_RUNS_DIR).")
  List<String> runs;

  @Mixin ConfigFlags flags;

  @Override
  public Integer call() throws Exception {
    try (var call = flags.call("compare", CompareParams.class, null)) {
      call.params().runs = runs;
      StageContext context = call.context();
      if (!call.cfg().hasSection("experiment")) {
        // Where an MLflow user looks for it: beside the runs it compares, when they share an experiment.
        context = Compare.sharedExperiment(call.tracking(), runs).map(context::inExperiment).orElse(context);
      }
      context.run("compare", "compare", call.params(), new Compare(call.tracking()));
    }
    return 0;
  }
}
