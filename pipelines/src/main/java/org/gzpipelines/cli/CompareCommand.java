package org.gzpipelines.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gzpipelines.evaluate.RunComparison;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.tracking.RunStatus;
import org.gzpipelines.tracking.TrackedRun;
import org.gzpipelines.tracking.Tracking;
import org.gzpipelines.tracking.TrackingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** gz compare: validation curves of several training runs on one figure, and a summary table. */
@Command(name = "compare",
    header = "Validation curves of several runs on one figure, with a table.", mixinStandardHelpOptions = true,
    description = {"Fetch the validation-RMSE histories of several gz train runs from tracking, draw them on",
        "one figure against images seen, tabulate best validation RMSE, parameters and training time,",
        "and log figure and table to a new run \"compare\"."})
public final class CompareCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "RUN", description = "Run ids (or run folders under GZ_RUNS_DIR).")
  List<String> runs;

  @Option(names = "--experiment", defaultValue = ExperimentConfigFile.DEFAULT_EXPERIMENT,
      description = "Experiment of the compare run (default ${DEFAULT-VALUE}).")
  String experiment;

  @Option(names = "--output", description = "Output folder (default: comparisons/<run id>).")
  Path output;

  @Override
  public Integer call() throws Exception {
    try (Tracking tracking = Tracking.fromEnvironment()) {
      List<RunComparison.Row> rows = new ArrayList<>();
      for (String arg : runs) {
        // A run folder's name is its id.
        String id = Files.isRegularFile(Path.of(arg, "meta.json")) ? Path.of(arg).toAbsolutePath().normalize()
            .getFileName().toString() : arg;
        try {
          rows.add(RunComparison.fetch(tracking, id));
        } catch (TrackingException e) {
          throw new UserError("run " + arg + ": " + e.getMessage());
        }
      }
      TrackedRun run = tracking.startRun(experiment, "compare");
      try {
        Path out = (output != null ? output : Path.of("comparisons", run.runId())).toAbsolutePath();
        run.logParam("runs", String.join(",", runs));
        run.setTag("gz.stage", "compare");
        Path png = out.resolve("val-rmse-curves.png");
        RunComparison.figure(rows, png);
        List<Path> tables = RunComparison.tables(rows, out, "comparison");
        run.logArtifact(png, "");
        for (Path t : tables) {
          run.logArtifact(t, "");
        }
        for (RunComparison.Row r : rows) {
          run.logMetric("best_val_rmse/" + r.runId(), r.bestValRmse(), 0);
        }
        run.end(RunStatus.FINISHED);
        System.out.print(Files.readString(tables.get(1)));
        System.out.printf(Locale.ROOT, "figure %s; run %s%n", png, run.runId());
        return 0;
      } catch (RuntimeException | java.io.IOException e) {
        run.end(RunStatus.FAILED);
        throw e;
      }
    }
  }
}
