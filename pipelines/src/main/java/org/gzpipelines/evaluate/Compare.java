package org.gzpipelines.evaluate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.run.PipelineRunner;
import org.gzpipelines.run.Stage;
import org.gzpipelines.tracking.RunSummary;
import org.gzpipelines.tracking.ShortRunIds;
import org.gzpipelines.tracking.TrackedRun;
import org.gzpipelines.tracking.Tracking;
import org.gzpipelines.tracking.TrackingException;

/**
 * The compare stage: the validation-RMSE histories of several training runs on one figure against
 * images seen, and a table of best validation RMSE, parameters and training time, logged to the
 * stage's run.
 */
public final class Compare implements Stage<CompareParams, Path> {

  private final Tracking tracking;

  /** Compares runs that {@code tracking} can find. */
  public Compare(Tracking tracking) {
    this.tracking = tracking;
  }

  /** A run given as its id (or a unique short one, {@link ShortRunIds}), or as its run folder (named by its id). */
  public static String fullRunId(Tracking tracking, String arg) {
    return Files.isRegularFile(Path.of(arg, "meta.json")) ? Path.of(arg).toAbsolutePath().normalize().getFileName()
        .toString() : ShortRunIds.expand(arg, tracking.runsDir());
  }

  /**
   * The experiment all of {@code runs} belong to; empty when they are in several, or one cannot be
   * found (the comparison itself then says which).
   */
  public static Optional<String> sharedExperiment(Tracking tracking, List<String> runs) {
    Set<String> experiments = new HashSet<>();
    for (String arg : runs) {
      try {
        experiments.add(tracking.experimentOf(fullRunId(tracking, arg)));
      } catch (TrackingException e) {
        return Optional.empty();
      }
    }
    return experiments.size() == 1 ? Optional.of(experiments.iterator().next()) : Optional.empty();
  }

  /**
   * Every run given exists and is a training run (a gz training run, or another tool's run with a
   * {@code val_rmse} history), checked before the compare run starts, so a typo leaves no failed run.
   */
  @Override
  public void check(CompareParams params) {
    if (params.runs.size() < 2) {
      throw new UserError("compare needs two or more training runs, not " + params.runs.size());
    }
    checkTrainingRuns(params.runs);
  }

  /** Each of {@code runs} exists and is a training run; gz run asks this of compare.runs before its first stage. */
  public void checkTrainingRuns(List<String> runs) {
    for (String arg : runs) {
      RunSummary run;
      try {
        run = tracking.getRun(fullRunId(tracking, arg));
      } catch (TrackingException e) {
        // The message names the id it looked for; a short id that named no local run says why first.
        String hint = ShortRunIds.hint(arg, tracking.runsDir());
        throw new UserError(hint.isEmpty() ? e.getMessage() : "run " + arg + hint + ": " + e.getMessage());
      }
      String stage = run.tags().getOrDefault("gz.stage", "");
      boolean training = stage.isEmpty() ? run.latestMetrics().containsKey(RunComparison.VAL_RMSE) : stage.equals("train");
      if (!training) {
        throw new UserError("run " + arg + " ('" + run.runName() + "') is " + (stage.isEmpty()
            ? "no training run (no " + RunComparison.VAL_RMSE + " history)"
            : stage.equals("run") ? "a gz run study (the parent of its stages' runs)"
            : ("aeiou".indexOf(stage.charAt(0)) >= 0 ? "an " : "a ") + stage + " run")
            + ": gz compare compares training runs (of gz train, or gz run's train stage)");
      }
    }
  }

  /** Returns the figure. */
  @Override
  public Path run(CompareParams params, TrackedRun run, PipelineRunner runner) throws Exception {
    List<RunComparison.Row> rows = new ArrayList<>();
    for (String arg : params.runs) {
      rows.add(RunComparison.fetch(tracking, fullRunId(tracking, arg)));
    }
    Path out = (params.output != null ? Path.of(params.output) : Path.of("comparisons", run.runId())).toAbsolutePath().normalize();
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
    System.out.print(Files.readString(tables.get(1)));
    System.out.printf(Locale.ROOT, "figure %s; run %s%n", png, run.runId());
    return png;
  }
}
