package org.gzpipelines.evaluate;

import com.google.common.collect.MinMaxPriorityQueue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gzpipelines.predict.PredictionFiles;
import org.gzpipelines.predict.SeededSample;
import org.gzpipelines.schemas.Prediction;
import org.gzpipelines.schemas.Split;

/**
 * What the driver reads from the predictions the evaluate pipeline wrote: the validation RMSE
 * (with test-time augmentation also that of the plain pass) and a seeded sample of the labelled
 * validation predictions for the true-vs-predicted figure.
 *
 * <p>Read on the driver, as gz mergers measures its fraction, rather than summarised by steps of
 * the pipeline: the work units write every prediction where they make it, and a streamed pass over
 * 12,209 predictions takes a fraction of a second, where the Direct runner spent 0.4-1.1 ms of CPU a
 * prediction passing them to summary steps (docs/BENCHMARKS.md, "Full scale"). Memory is bounded:
 * 37 sums and the sample.
 *
 * @param withoutTta the plain pass's RMSE under test-time augmentation, else null
 * @param sample at most {@code scatterSample} labelled validation predictions, the same on every run with the seed
 */
public record ValidationScores(LabelRmse rmse, LabelRmse withoutTta, List<Prediction> sample) {

  /** The scores of the evaluation in {@code out}, run with {@code params}. */
  public static ValidationScores read(EvaluateParams params, Path out) {
    LabelRmse.Sums sums = new LabelRmse.Sums();
    // The sample is the scatterSample predictions ranked highest by SeededSample: the queue drops its greatest
    // under the reversed order, the lowest-ranked.
    MinMaxPriorityQueue<Prediction> sample = MinMaxPriorityQueue.orderedBy(new SeededSample(params.seed).reversed())
        .maximumSize(params.scatterSample).create();
    PredictionFiles.forEach(out.resolve(EvaluatePipeline.PREDICTIONS_DIR), p -> {
      if (isLabelledVal(p)) {
        sums.add(p);
        sample.add(p);
      }
    });
    LabelRmse plain = null;
    if (params.tta) {
      LabelRmse.Sums plainSums = new LabelRmse.Sums();
      PredictionFiles.forEach(out.resolve(EvaluatePipeline.PLAIN_PREDICTIONS_DIR), p -> {
        if (isLabelledVal(p)) {
          plainSums.add(p);
        }
      });
      plain = plainSums.rmse();
    }
    return new ValidationScores(sums.rmse(), plain, new ArrayList<>(sample));
  }

  static boolean isLabelledVal(Prediction p) {
    return p.getSplit() == Split.VAL && p.getLabels() != null;
  }
}
