package org.gzpipelines.mergers;

/**
 * How a merger criterion applied to PREDICTIONS performs against the same criterion applied to
 * the TRUE vote fractions, on the labelled validation split: completeness (the share of true
 * mergers recovered) and purity (the share of predicted mergers that are true ones).
 *
 * <p>The correction of a raw predicted fraction on another sample uses completeness and the
 * false-positive rate, not purity: purity depends on how common mergers are in the sample it was
 * measured on, so it does not carry over to a sample with another merger fraction, while the
 * true- and false-positive rates do (the "adjusted classify and count" of Forman 2005):
 * f_pred = completeness x f + fpr x (1 - f), hence f = (f_pred - fpr) / (completeness - fpr).
 */
public record ThresholdCalibration(long truePositives, long falsePositives, long falseNegatives, long trueNegatives) {

  /** Counts the confusion matrix of {@code criterion} on paired predicted and true scores. */
  public static ThresholdCalibration of(double[] predicted, double[] truth, MergerCriterion criterion) {
    if (predicted.length != truth.length) {
      throw new IllegalArgumentException("predicted and true scores differ in length");
    }
    long tp = 0, fp = 0, fn = 0, tn = 0;
    for (int i = 0; i < predicted.length; i++) {
      boolean p = criterion.isCalled(predicted[i]);
      boolean t = criterion.isMerger(truth[i]);
      if (p && t) tp++;
      else if (p) fp++;
      else if (t) fn++;
      else tn++;
    }
    return new ThresholdCalibration(tp, fp, fn, tn);
  }

  public long total() {
    return truePositives + falsePositives + falseNegatives + trueNegatives;
  }

  /** Share of true mergers that the criterion recovers; NaN with no true merger. */
  public double completeness() {
    return (double) truePositives / (truePositives + falseNegatives);
  }

  /** Share of predicted mergers that are true mergers; NaN with no predicted merger. */
  public double purity() {
    return (double) truePositives / (truePositives + falsePositives);
  }

  /** Share of true non-mergers that the criterion calls mergers; NaN with no non-merger. */
  public double falsePositiveRate() {
    return (double) falsePositives / (falsePositives + trueNegatives);
  }

  /**
   * The true merger fraction a raw predicted fraction implies, clipped to [0, 1]; NaN where the
   * calibration cannot tell mergers from non-mergers (completeness not above the false-positive
   * rate).
   */
  public double correct(double predictedFraction) {
    double separation = completeness() - falsePositiveRate();
    if (!(separation > 0)) {
      return Double.NaN;
    }
    return Math.min(1, Math.max(0, (predictedFraction - falsePositiveRate()) / separation));
  }
}
