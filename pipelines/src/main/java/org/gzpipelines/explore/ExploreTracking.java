package org.gzpipelines.explore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gzpipelines.explore.ExploreResults.LabelSummary;
import org.gzpipelines.explore.ExploreResults.TreeDeviation;
import org.gzpipelines.model.data.Manifest;
import org.gzpipelines.run.StageContext;
import org.gzpipelines.tracking.Provenance;
import org.gzpipelines.tracking.TrackedRun;

/** Logs an explore run: the key numbers as metrics, the report as artifacts. */
public final class ExploreTracking {
  private ExploreTracking() {}

  /** Logs what {@link StageContext} does not: the data's manifest, derived params, metrics, report. */
  public static void log(TrackedRun run, ExploreParams params, Explore.Outcome outcome, double seconds) {
    ExploreResults r = outcome.results();
    Path manifest = params.dataDir().resolve(Manifest.FILE_NAME);
    if (Files.isRegularFile(manifest)) {
      Provenance.tagDataManifest(run, manifest);
    }
    run.logParam("label_histogram_bins", String.valueOf(LabelStatistics.DISPLAY_BINS));

    for (String split : r.counts.records.keySet()) {
      run.logMetric("count/" + split + "/records", r.counts.records.get(split), 0);
      run.logMetric("count/" + split + "/originals", r.counts.originals.get(split), 0);
      run.logMetric("count/" + split + "/labelled", r.counts.labelled.get(split), 0);
      run.logMetric("count/" + split + "/unlabelled", r.counts.unlabelled.get(split), 0);
    }
    run.logMetric("count/dead_letters", r.deadLetters, 0);
    run.logMetric("image/height", r.shapes.maxHeight, 0);
    run.logMetric("image/width", r.shapes.maxWidth, 0);
    run.logMetric("image/channels", r.shapes.maxChannels, 0);
    run.logMetric("image/original_height", r.shapes.rawHeight, 0);
    run.logMetric("image/original_width", r.shapes.rawWidth, 0);
    run.logMetric("memory/original_uint8_bytes", r.memory.rawUint8Bytes, 0);
    run.logMetric("memory/original_float32_bytes", r.memory.rawFloat32Bytes, 0);
    run.logMetric("memory/downsampled_uint8_bytes", r.memory.downsampledUint8Bytes, 0);
    run.logMetric("memory/downsampled_float32_bytes", r.memory.downsampledFloat32Bytes, 0);
    if (!Double.isNaN(r.memory.reductionFactor)) {
      run.logMetric("memory/reduction_factor", r.memory.reductionFactor, 0);
    }
    // e.g. "Avro shards train/" -> disk/Avro_shards_train: MLflow refuses names ending in '/'.
    r.bytesOnDisk.forEach((k, v) ->
        run.logMetric("disk/" + k.replaceAll("[^A-Za-z0-9_.-]+", "_").replaceAll("^_+|_+$", ""), v, 0));
    for (LabelSummary s : r.labelStatistics.getOrDefault(ExploreResults.ALL, List.of())) {
      run.logMetric("label_mean/" + s.id, s.mean, 0);
    }
    for (TreeDeviation t : r.treeConsistency) {
      run.logMetric("tree/Q" + t.question + "/max_abs_deviation", t.maxAbs, 0);
    }
    List<LabelSummary> train = r.labelStatistics.get(ExploreResults.TRAIN);
    List<LabelSummary> val = r.labelStatistics.get(ExploreResults.VAL);
    if (train != null && val != null) {
      int worst = ExploreReport.largestMeanDifference(train, val);
      run.logMetric("train_val/max_abs_mean_difference", Math.abs(val.get(worst).mean - train.get(worst).mean), 0);
      run.setTag("gz.explore.largest_mean_difference", train.get(worst).id + " (" + train.get(worst).name + ")");
    }
    run.logMetric("time/seconds", seconds, 0);

    run.logArtifact(outcome.report().html(), "");
    run.logArtifact(outcome.resultsFile(), "");
    run.logArtifact(outcome.report().html().resolveSibling(ExploreReport.FIGURES), "");
  }
}
