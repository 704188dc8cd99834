package org.gzpipelines.mergers;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Predicate;
import org.gzpipelines.schemas.Prediction;
import org.gzpipelines.schemas.Split;

/**
 * The domain-shift guard where a model ran over an ingested folder's labelled validation split and
 * its unlabelled test split into one predictions folder (gz evaluate): the same {@link
 * DomainShiftCheck} as gz mergers, with the validation side drawn at the test split's merger
 * fraction as gz mergers would estimate it (its default criterion and calibration), so a test split
 * that merely holds more or fewer mergers is not called shifted.
 */
public final class SplitShift {

  private SplitShift() {}

  /**
   * Checks the test split's predictions in {@code predictions} against the validation split's;
   * empty when either split has fewer than two galaxies.
   *
   * @param valStatistics the validation split's folder of {@link ImageStatistics} lines
   * @param testStatistics the test split's
   */
  public static Optional<DomainShift> check(Path predictions, Path valStatistics, Path testStatistics,
      MergerMeasurement.Settings settings) {
    Predicate<Prediction> val = p -> p.getSplit() == Split.VAL && p.getLabels() != null;
    Predicate<Prediction> test = p -> p.getSplit() == Split.TEST;
    double[] testScores = MergerMeasurement.scores(predictions, test, MergerCriterion.MERGER_VOTE, false);
    double[] valPredicted = MergerMeasurement.scores(predictions, val, MergerCriterion.MERGER_VOTE, false);
    double[] valTruth = MergerMeasurement.scores(predictions, val, MergerCriterion.MERGER_VOTE, true);
    if (testScores.length < 2 || valPredicted.length < 2) {
      return Optional.empty();
    }
    // gz mergers' default criterion (its defaults written once, in MergersParams): the estimate the
    // validation side is drawn at is the one gz mergers would print for this test split.
    MergersParams defaults = new MergersParams();
    MergerCriterion criterion =
        defaults.criterion(MergerCriterion.breakEven(defaults.threshold, valPredicted, valTruth));
    MergerFractionEstimator.Estimate e = new MergerFractionEstimator(criterion, settings.resamples(),
        settings.confidence(), settings.seed()).estimate(testScores, valPredicted, valTruth);
    return new DomainShiftCheck(settings.shiftAlpha(), settings.shiftGalaxies(), settings.seed())
        .check(new DomainShiftCheck.Side(predictions, val, valStatistics),
            new DomainShiftCheck.Side(predictions, test, testStatistics), criterion, e.corrected().value());
  }
}
