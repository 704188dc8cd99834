package org.gzpipelines.mergers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.gzpipelines.report.Numbers;
import org.junit.jupiter.api.Test;

class MergerFractionEstimatorTest {

  private static final MergerCriterion CRITERION = MergerCriterion.mergerVote(0.4);

  /** Scores of a sample with a known share of mergers, seen through a noisy, biased classifier. */
  private static double[][] sample(int n, double trueFraction, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] truth = new double[n];
    double[] predicted = new double[n];
    for (int i = 0; i < n; i++) {
      boolean merger = r.nextDouble() < trueFraction;
      truth[i] = merger ? 0.5 + 0.4 * r.nextDouble() : 0.3 * r.nextDouble();
      // The classifier under-predicts mergers and lets some non-mergers through.
      predicted[i] = Math.min(1, Math.max(0, truth[i] * 0.85 + 0.12 * r.nextGaussian()));
    }
    return new double[][] {predicted, truth};
  }

  @Test
  void calibrationCountsTheConfusionMatrix() {
    double[] predicted = {0.9, 0.5, 0.1, 0.45, 0.2};
    double[] truth = {0.8, 0.1, 0.6, 0.7, 0.0};
    ThresholdCalibration c = ThresholdCalibration.of(predicted, truth, CRITERION);
    assertEquals(2, c.truePositives());
    assertEquals(1, c.falsePositives());
    assertEquals(1, c.falseNegatives());
    assertEquals(1, c.trueNegatives());
    assertEquals(2.0 / 3, c.completeness(), 1e-12);
    assertEquals(2.0 / 3, c.purity(), 1e-12);
  }

  @Test
  void correctedFractionRecoversTheTruthWithinItsInterval() {
    double trueFraction = 0.08;
    double[][] validation = sample(3000, 0.05, 1);
    double[][] test = sample(4000, trueFraction, 2);
    MergerFractionEstimator estimator = new MergerFractionEstimator(CRITERION, 500, 0.95, 7);
    MergerFractionEstimator.Estimate e = estimator.estimate(test[0], validation[0], validation[1]);

    long trueCount = Arrays.stream(test[1]).filter(CRITERION::isMerger).count();
    double truth = (double) trueCount / test[1].length;
    assertTrue(e.corrected().contains(truth), "corrected " + e.corrected() + " vs truth " + truth);
    assertTrue(e.raw().low() <= e.raw().value() && e.raw().value() <= e.raw().high());
    assertTrue(e.corrected().high() - e.corrected().low() > 0, "interval has width");
    assertEquals(4000, e.galaxies());
  }

  @Test
  void aModelThatPullsItsVotesTowardsTheMeanIsCalledAtTheBreakEvenPoint() {
    // Predicted merger votes a third of the true ones, as a short training leaves them: no galaxy's
    // prediction reaches the volunteers' 0.4, so calling at 0.4 recovers no merger at all.
    double[][] validation = shrunk(sample(3000, 0.25, 1));
    double[][] test = shrunk(sample(4000, 0.08, 2));
    MergerFractionEstimator.Estimate atThreshold = new MergerFractionEstimator(CRITERION, 500, 0.95, 7)
        .estimate(test[0], validation[0], validation[1]);
    assertEquals(0, atThreshold.predictedMergers());
    assertTrue(Double.isNaN(atThreshold.corrected().value()), "no correction: " + atThreshold.corrected());

    MergerCriterion breakEven = MergerCriterion.breakEven(0.4, validation[0], validation[1]);
    assertEquals(0.4, breakEven.threshold());
    assertTrue(breakEven.decision() < 0.4, "called lower: " + breakEven);
    long called = Arrays.stream(validation[0]).filter(breakEven::isCalled).count();
    long mergers = Arrays.stream(validation[1]).filter(breakEven::isMerger).count();
    assertEquals(mergers, called, "as many called as there are on validation");
    MergerFractionEstimator.Estimate e = new MergerFractionEstimator(breakEven, 500, 0.95, 7)
        .estimate(test[0], validation[0], validation[1]);
    double truth = (double) Arrays.stream(test[1]).filter(breakEven::isMerger).count() / test[1].length;
    assertTrue(e.corrected().contains(truth), "corrected " + e.corrected() + " vs truth " + truth);
    assertTrue(e.calibration().completeness() > 0.8, "completeness " + e.calibration().completeness());
    assertTrue(Reliability.of(e, java.util.Optional.empty(), false).reasons().stream().noneMatch(s -> s.contains("barely")),
        "a criterion that separates mergers is not called weak");
  }

  /**
   * A model that calls mergers little better than at random, as the demo network after 20,000
   * images of a set with 5% mergers did at the Kaggle size (5.6% of the validation mergers
   * recovered, 5.2% of the non-mergers called): the corrected fraction's interval spans nearly
   * everything, and the reason given is the model, with its two rates.
   */
  @Test
  void aCriterionThatBarelySeparatesMergersIsUnreliableAndSaysWhy() {
    // Validation: 20 of 250 mergers called (8%), 285 of 4,750 non-mergers (6%). Test: 20% mergers.
    double[][] validation = called(250, 20, 4750, 285);
    double[][] test = called(800, 64, 3200, 192);
    MergerFractionEstimator.Estimate e = new MergerFractionEstimator(CRITERION, 500, 0.95, 7)
        .estimate(test[0], validation[0], validation[1]);

    double separation = e.calibration().completeness() - e.calibration().falsePositiveRate();
    assertTrue(separation > 0 && separation < Reliability.WEAK_SEPARATION, "separation " + separation);
    assertTrue(e.corrected().high() - e.corrected().low() > Reliability.WIDE_INTERVAL, "interval " + e.corrected());
    List<String> reasons = Reliability.of(e, java.util.Optional.empty(), false).reasons();
    assertTrue(reasons.stream().anyMatch(s -> s.startsWith("at this decision threshold the model recovers "
        + Numbers.percent(e.calibration().completeness()) + " of the validation split's true mergers and calls "
        + Numbers.percent(e.calibration().falsePositiveRate()) + " of its non-mergers mergers: it barely tells them"
        + " apart")), reasons.toString());
  }

  /**
   * Predicted and true scores of {@code mergers} mergers and {@code others} non-mergers, of which
   * the first {@code mergersCalled} and {@code othersCalled} are called.
   */
  private static double[][] called(int mergers, int mergersCalled, int others, int othersCalled) {
    double[] predicted = new double[mergers + others];
    double[] truth = new double[mergers + others];
    for (int i = 0; i < predicted.length; i++) {
      boolean merger = i < mergers;
      truth[i] = merger ? 0.8 : 0.1;
      predicted[i] = (merger ? i < mergersCalled : i - mergers < othersCalled) ? 0.9 : 0.1;
    }
    return new double[][] {predicted, truth};
  }

  @Test
  void theBreakEvenPointWithoutAValidationMergerIsTheThreshold() {
    double[] predicted = {0.1, 0.2, 0.3};
    assertEquals(0.4, MergerCriterion.breakEven(0.4, predicted, new double[] {0.0, 0.1, 0.2}).decision());
    // The model predicts 0 for the one merger and everything else: calling at 0 would call all.
    assertEquals(0.4, MergerCriterion.breakEven(0.4, new double[] {0, 0, 0}, new double[] {0.9, 0, 0}).decision());
  }

  /** {@code sample}'s predictions at a third of their value. */
  private static double[][] shrunk(double[][] sample) {
    return new double[][] {Arrays.stream(sample[0]).map(v -> v / 3).toArray(), sample[1]};
  }

  @Test
  void aFractionClampedAtOneStillHasAnIntervalOfWidth() {
    // A sample the calibration cannot explain: every galaxy called a merger, while on validation the
    // classifier recovers fewer than 90% of the true mergers.
    double[][] validation = sample(2000, 0.3, 4);
    double[] test = new double[600];
    java.util.Arrays.fill(test, 0.9);
    MergerFractionEstimator.Estimate e = new MergerFractionEstimator(CRITERION, 500, 0.95, 7)
        .estimate(test, validation[0], validation[1]);

    assertEquals(1.0, e.corrected().value(), "clamped at 1");
    assertTrue(e.corrected().high() == 1.0 && e.corrected().low() < 1.0, "one-sided, not [1, 1]: " + e.corrected());
    // The Wilson score interval of 600 of 600 at 95%: n / (n + z^2).
    assertEquals(600 / (600 + 1.959964 * 1.959964), e.corrected().low(), 1e-4);
    Reliability r = Reliability.of(e, java.util.Optional.empty(), false);
    assertTrue(r.reasons().stream().anyMatch(s -> s.contains("clamped at 1")), r.reasons().toString());
  }

  /**
   * A model that recovers 2 of 10 validation mergers: the reason suggests --decision auto, except
   * where the threshold is already auto's (a user had been told to set what was set).
   */
  @Test
  void fewRecoveredMergersAdviseAutoOnlyWhereItIsNotInEffect() {
    double[] predicted = new double[200];
    double[] truth = new double[200];
    for (int i = 0; i < 200; i++) {
      truth[i] = i < 10 ? 0.6 : 0.1;
      predicted[i] = i < 2 ? 0.9 : 0.05;
    }
    double[] test = new double[300];
    java.util.Arrays.fill(test, 0, 30, 0.9);
    MergerFractionEstimator.Estimate e = new MergerFractionEstimator(CRITERION, 200, 0.95, 7).estimate(test, predicted, truth);
    String threshold = reason(Reliability.of(e, java.util.Optional.empty(), false));
    assertTrue(threshold.contains("(--decision auto calls where it recovers as many as it calls)"), threshold);
    String auto = reason(Reliability.of(e, java.util.Optional.empty(), true));
    assertFalse(auto.contains("--decision auto"), auto);
    assertTrue(auto.contains("train longer or on more mergers)") && !auto.contains("expected fraction"), auto);
  }

  private static String reason(Reliability r) {
    return r.reasons().stream().filter(s -> s.contains("recovers only 2 of the validation")).findFirst()
        .orElseThrow(() -> new AssertionError(r.reasons()));
  }

  /** A third of a sample left out (cutouts of other sizes): the fraction is of a selection, and says so. */
  @Test
  void aSampleMeasuredOnAFewOfItsImagesIsUnreliable() {
    Reliability none = new Reliability(java.util.List.of());
    Reliability r = none.withLeftOut(133, 67, java.util.Map.of("wrong-image-shape", 133L));
    assertEquals(1, r.reasons().size(), r.reasons().toString());
    assertTrue(r.reasons().get(0).startsWith("133 of the 200 images given (67%) could not be used"
        + " (wrong-image-shape 133), so the fraction is of the 67 that could"), r.reasons().get(0));
    assertTrue(none.withLeftOut(10, 190, java.util.Map.of("bad-image", 10L)).reliable(), "5% left out: no reason");
  }

  @Test
  void noPredictedMergerStillHasAnIntervalOfWidth() {
    double[][] validation = sample(2000, 0.3, 5);
    double[] test = new double[400]; // every score 0: no galaxy is called a merger
    MergerFractionEstimator.Estimate e = new MergerFractionEstimator(CRITERION, 500, 0.95, 7)
        .estimate(test, validation[0], validation[1]);

    assertEquals(0.0, e.raw().value());
    assertEquals(0.0, e.raw().low());
    assertTrue(e.raw().high() > 0, "raw " + e.raw());
    assertEquals(0.0, e.corrected().value(), "clamped at 0");
    assertTrue(e.corrected().high() > 0, "corrected " + e.corrected());
  }

  @Test
  void sameSeedSameIntervals() {
    double[][] s = sample(500, 0.1, 3);
    MergerFractionEstimator a = new MergerFractionEstimator(CRITERION, 200, 0.9, 11);
    MergerFractionEstimator b = new MergerFractionEstimator(CRITERION, 200, 0.9, 11);
    assertEquals(a.estimate(s[0], s[0], s[1]), b.estimate(s[0], s[0], s[1]));
  }

  @Test
  void rateIsFractionOverObservabilityTimescale() {
    double[] rate = Lotz2011.rateFromFraction(0.02, Lotz2011.Method.GINI_M20);
    assertEquals(0.02 / 0.25, rate[0], 1e-12);
    assertTrue(rate[1] < rate[0] && rate[0] < rate[2], "longest timescale gives the lowest rate");
  }

  @Test
  void badArgumentsAreNamed() {
    assertThrows(IllegalArgumentException.class, () -> MergerCriterion.mergerVote(0));
    assertThrows(IllegalArgumentException.class, () -> new MergerFractionEstimator(CRITERION, 10, 0.95, 1));
  }
}
