package org.gzpipelines.evaluate;

import com.google.common.collect.MinMaxPriorityQueue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gzpipelines.predict.PickedImages;
import org.gzpipelines.predict.SeededSample;
import org.gzpipelines.predict.UnitParts;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Prediction;
import org.gzpipelines.schemas.Split;

/**
 * What the driver reads from the files the evaluate pipeline wrote, in one pass over the
 * predictions: the validation RMSE (with test-time augmentation also that of the plain pass), a
 * seeded sample of the labelled validation predictions for the true-vs-predicted figure, and the
 * extremes with their images (from the units' candidates).
 *
 * <p>Read on the driver, as gz mergers measures its fraction, rather than summarised by steps of
 * the pipeline: a streamed pass over 12,209 predictions takes a fraction of a second, where the
 * Direct runner spent 0.4-1.1 ms of CPU a prediction passing them to summary steps, and a second or
 * more of fixed work on the steps themselves (docs/BENCHMARKS.md, "Full scale"). Memory is bounded:
 * 37 sums, the sample and the extremes.
 *
 * @param withoutTta the plain pass's RMSE under test-time augmentation, else null
 * @param sample at most {@code scatterSample} labelled validation predictions, the same on every run with the seed
 * @param images the extremes' images by galaxy id
 */
public record ValidationScores(LabelRmse rmse, LabelRmse withoutTta, List<Prediction> sample, Extremes extremes,
    Map<Long, Galaxy> images) {

  /** The scores of the evaluation in {@code out}, run with {@code params}. */
  public static ValidationScores read(EvaluateParams params, Path out) {
    LabelRmse.Sums sums = new LabelRmse.Sums();
    // The sample is the scatterSample predictions ranked highest by SeededSample: the queue drops its greatest
    // under the reversed order, the lowest-ranked.
    MinMaxPriorityQueue<Prediction> sample = MinMaxPriorityQueue.orderedBy(new SeededSample(params.seed).reversed())
        .maximumSize(params.scatterSample).create();
    Extremes extremes = new Extremes(EvaluatePipeline.labels(params));
    UnitParts.forEach(out.resolve(EvaluatePipeline.PREDICTIONS_DIR), Prediction.class, p -> {
      if (isLabelledVal(p)) {
        sums.add(p);
        sample.add(p);
        extremes.offer(p);
      }
    });
    LabelRmse plain = null;
    if (params.tta) {
      LabelRmse.Sums plainSums = new LabelRmse.Sums();
      UnitParts.forEach(out.resolve(EvaluatePipeline.PLAIN_PREDICTIONS_DIR), Prediction.class, p -> {
        if (isLabelledVal(p)) {
          plainSums.add(p);
        }
      });
      plain = plainSums.rmse();
    }
    Map<Long, Galaxy> images = PickedImages.read(out.resolve(EvaluatePipeline.EXTREME_CANDIDATES), extremes.ids());
    return new ValidationScores(sums.rmse(), plain, new ArrayList<>(sample), extremes, images);
  }

  static boolean isLabelledVal(Prediction p) {
    return p.getSplit() == Split.VAL && p.getLabels() != null;
  }
}
