package org.gzpipelines.cli;

import com.google.common.base.Strings;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.report.Numbers;
import org.gzpipelines.tracking.RunSummary;
import org.gzpipelines.tracking.Tracking;
import org.gzpipelines.tracking.TrackingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * gz runs: the newest runs with their stage, status and headline number, so the ids that
 * {@code --model}, {@code gz compare} and {@code --resume} take are found without the MLflow UI
 * (as {@code mlflow runs list} does for MLflow's own CLI).
 */
@Command(name = "runs", header = "The newest runs: id, start, status, experiment, stage, name and headline metric.",
    mixinStandardHelpOptions = true,
    description = "Lists the newest runs, on the MLflow server of MLFLOW_TRACKING_URI, else in the offline run folders"
        + " (GZ_RUNS_DIR, default runs/).")
final class RunsCommand implements Callable<Integer> {

  /** The number a run is judged by, per stage: the first of these it has. */
  private static final List<String> HEADLINE = List.of("val_rmse", "best_val_rmse", "merger_fraction_corrected",
      "auc_spiral_report", "records_train", "records_test");

  private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

  @Option(names = "--experiment", description = "Only this experiment's runs (default: every experiment).")
  String experiment;

  @Option(names = "--filter", defaultValue = "",
      description = "An MLflow search filter, e.g. \"tags.`gz.stage` = 'train' and metrics.val_rmse < 0.17\""
          + " (needs a tracking server).")
  String filter;

  @Option(names = "--limit", defaultValue = "20", description = "At most this many runs (default ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() {
    if (limit < 1) {
      throw new UserError("--limit must be at least 1, not " + limit);
    }
    try (Tracking tracking = Tracking.fromEnvironment()) {
      // One more than shown tells whether the list is cut short.
      List<Tracking.ListedRun> runs = tracking.latestRuns(experiment, filter, limit + 1);
      boolean more = runs.size() > limit;
      runs = runs.subList(0, Math.min(limit, runs.size()));
      System.out.printf("%s%d run(s)%s%s, newest first, %s%s%n", more ? "the newest " : "", runs.size(),
          experiment == null ? "" : " of experiment '" + experiment + "'",
          filter.isBlank() ? "" : " matching " + filter, tracking.trackingUri().map(u -> "on MLflow at " + u)
              .orElse("in the run folders under " + tracking.runsDir() + " (MLFLOW_TRACKING_URI is unset)"),
          more ? "; there are more: --limit " + 2 * limit + " shows more" : "");
      if (runs.isEmpty()) {
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      // The name last and whole: a sweep's names differ anywhere in their grid values, so any cut may hide the
      // difference; a long one wraps in the terminal without pushing the other columns.
      rows.add(List.of("run id", "started", "status", "experiment", "stage", "headline", "name"));
      for (Tracking.ListedRun r : runs) {
        RunSummary s = r.run();
        rows.add(List.of(s.runId(), STARTED.format(Instant.ofEpochMilli(s.startTime())), s.status() + (r.unsynced() ? "*" : ""),
            shorten(r.experiment(), 24), s.tags().getOrDefault("gz.stage", ""), headline(s.latestMetrics()),
            Strings.nullToEmpty(s.runName())));
      }
      // Each column as wide as its widest cell, so a table of short names fits a narrow terminal.
      int[] widths = new int[rows.get(0).size()];
      rows.forEach(row -> IntStream.range(0, widths.length).forEach(i -> widths[i] = Math.max(widths[i], row.get(i).length())));
      for (List<String> row : rows) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
          line.append(i < widths.length - 1 ? String.format("%-" + widths[i] + "s  ", row.get(i)) : row.get(i));
        }
        System.out.println(line.toString().stripTrailing());
      }
      if (runs.stream().anyMatch(Tracking.ListedRun::unsynced)) {
        System.out.println("* went on while the server did not answer: shown from its folder under " + tracking.runsDir()
            + "; the server has part of it until: gz sync " + tracking.runsDir());
      }
    } catch (TrackingException e) {
      throw new UserError(e.getMessage(), e);
    }
    return 0;
  }

  /** The headline metric; a merger fraction its report marks unreliable says so (metric merger_fraction_corrected_reliable 0). */
  static String headline(Map<String, Double> metrics) {
    return HEADLINE.stream().filter(metrics::containsKey).findFirst()
        .map(k -> k + " " + shown(metrics.get(k)) + (k.equals("merger_fraction_corrected")
            && Double.valueOf(0).equals(metrics.get("merger_fraction_corrected_reliable")) ? " UNRELIABLE" : ""))
        .orElse("");
  }

  /** A count as a whole number (records_train 61,578, not 6.158e+04), any other value to 4 digits, NaN as n/a. */
  private static String shown(double v) {
    return Double.isFinite(v) && v == Math.rint(v) && Math.abs(v) < 1e15
        ? String.format(Locale.ROOT, "%,d", (long) v) : Numbers.significant(v, 4);
  }

  private static String shorten(String s, int width) {
    return s == null ? "" : s.length() <= width ? s : s.substring(0, width - 1) + "~";
  }
}
