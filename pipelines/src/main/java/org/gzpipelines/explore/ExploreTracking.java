package org.gzpipelines.explore;

import java.util.List;
import org.gzpipelines.explore.ExploreResults.LabelSummary;
import org.gzpipelines.run.StageContext;
import org.gzpipelines.tracking.TrackedRun;

/** Logs an explore run: headline numbers as metrics, the report and results.json as artifacts. */
public final class ExploreTracking {
  private ExploreTracking() {}

  /** Logs what {@link StageContext} does not: derived params, headline metrics, the report. */
  public static void log(TrackedRun run, ExploreParams params, Explore.Outcome outcome, double seconds) {
    ExploreResults r = outcome.results();
    run.logParam("label_histogram_bins", String.valueOf(LabelStatistics.DISPLAY_BINS));

    // A few headline numbers as metrics, named without '/' so MLflow's chart view shows one panel
    // each instead of empty sections per prefix; everything else is in results.json (an artifact).
    for (String split : r.counts.records.keySet()) {
      run.logMetric("records_" + split, r.counts.records.get(split), 0);
      run.logMetric("labelled_" + split, r.counts.labelled.get(split), 0);
    }
    run.logMetric("dead_letters", r.deadLetters, 0);
    if (!Double.isNaN(r.memory.reductionFactor)) {
      run.logMetric("memory_reduction_factor", r.memory.reductionFactor, 0);
    }
    List<LabelSummary> train = r.labelStatistics.get(ExploreResults.TRAIN);
    List<LabelSummary> val = r.labelStatistics.get(ExploreResults.VAL);
    if (train != null && val != null) {
      int worst = ExploreReport.largestMeanDifference(train, val);
      run.logMetric("train_val_max_abs_mean_difference", Math.abs(val.get(worst).mean - train.get(worst).mean), 0);
      run.setTag("gz.explore.largest_mean_difference", train.get(worst).id + " (" + train.get(worst).name + ")");
    }
    run.logMetric("seconds", seconds, 0);

    run.logArtifact(outcome.report().html(), "");
    run.logArtifact(outcome.resultsFile(), "");
    run.logArtifact(outcome.report().html().resolveSibling(ExploreReport.FIGURES), "");
  }
}
