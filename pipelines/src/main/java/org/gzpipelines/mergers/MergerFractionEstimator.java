package org.gzpipelines.mergers;

import com.google.common.math.Quantiles;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.stat.interval.ConfidenceInterval;
import org.apache.commons.math3.stat.interval.WilsonScoreInterval;

/**
 * Estimates the merger fraction of a sample from predicted scores, with bootstrap confidence
 * intervals. Three estimates are reported, since they answer different questions:
 *
 * <ul>
 *   <li>raw: the share of galaxies the criterion calls mergers;
 *   <li>expected: the mean predicted merger vote fraction (no threshold at all);
 *   <li>corrected: raw corrected with the validation calibration ({@link
 *       ThresholdCalibration#correct}). Its interval
 *       resamples the validation pairs too, so the calibration's own uncertainty is included.
 * </ul>
 *
 * Percentile bootstrap, written here because it is a few lines and no library on the classpath
 * offers one over a custom statistic.
 *
 * <p>The raw and corrected fractions are shares of the test galaxies, and their intervals are never
 * narrower than the Wilson score interval of that share among them: that is the uncertainty a
 * perfect classifier would leave, and a worse one only adds to it. It matters at 0 and 1: with no
 * predicted merger, or with a corrected fraction clamped at a bound, every bootstrap replicate sits
 * on the bound and the percentile interval alone has zero width, claiming a certainty no finite
 * sample gives; the Wilson interval there is one-sided with a width that shrinks as 1/n.
 */
public final class MergerFractionEstimator {

  private final MergerCriterion criterion;
  private final int resamples;
  private final double confidence;
  private final long seed;

  public MergerFractionEstimator(MergerCriterion criterion, int resamples, double confidence, long seed) {
    if (resamples < 100) {
      throw new IllegalArgumentException("use at least 100 bootstrap resamples, got " + resamples);
    }
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
    }
    this.criterion = criterion;
    this.resamples = resamples;
    this.confidence = confidence;
    this.seed = seed;
  }

  /** A point estimate with its bootstrap interval. */
  public record Interval(double value, double low, double high) {
    public boolean contains(double x) {
      return x >= low && x <= high;
    }
  }

  /** All estimates for one sample. */
  public record Estimate(
      MergerCriterion criterion,
      long galaxies,
      long predictedMergers,
      Interval raw,
      Interval expected,
      ThresholdCalibration calibration,
      Interval corrected,
      double confidence) {}

  /**
   * @param testScores predicted merger scores of the sample
   * @param validationPredicted predicted scores on the labelled validation split (may be empty)
   * @param validationTruth true scores on the validation split, paired with the above
   */
  public Estimate estimate(double[] testScores, double[] validationPredicted, double[] validationTruth) {
    if (testScores.length == 0) {
      throw new IllegalArgumentException("no galaxies to estimate a merger fraction from");
    }
    ThresholdCalibration calibration = ThresholdCalibration.of(validationPredicted, validationTruth, criterion);
    double raw = rawFraction(testScores, null);
    double expected = mean(testScores, null);
    double corrected = calibration.correct(raw);

    double[] raws = new double[resamples];
    double[] expecteds = new double[resamples];
    double[] correcteds = new double[resamples];
    SplittableRandom random = new SplittableRandom(seed);
    int[] testIdx = new int[testScores.length];
    int[] valIdx = new int[validationPredicted.length];
    double[] vp = new double[valIdx.length];
    double[] vt = new double[valIdx.length];
    for (int b = 0; b < resamples; b++) {
      draw(random, testIdx);
      draw(random, valIdx);
      for (int i = 0; i < valIdx.length; i++) {
        vp[i] = validationPredicted[valIdx[i]];
        vt[i] = validationTruth[valIdx[i]];
      }
      raws[b] = rawFraction(testScores, testIdx);
      expecteds[b] = mean(testScores, testIdx);
      correcteds[b] = ThresholdCalibration.of(vp, vt, criterion).correct(raws[b]);
    }
    long count = Arrays.stream(testScores).filter(criterion::isCalled).count();
    return new Estimate(
        criterion,
        testScores.length,
        count,
        atLeastWilson(interval(raw, raws), testScores.length),
        interval(expected, expecteds),
        calibration,
        atLeastWilson(interval(corrected, correcteds), testScores.length),
        confidence);
  }

  /** {@code i} widened to contain the Wilson score interval of its value as a share of {@code n}; NaN stays NaN. */
  private Interval atLeastWilson(Interval i, int n) {
    if (Double.isNaN(i.value())) {
      return i;
    }
    ConfidenceInterval w = new WilsonScoreInterval().createInterval(n, (int) Math.round(i.value() * n), confidence);
    return new Interval(i.value(), Math.max(0, Math.min(i.low(), w.getLowerBound())),
        Math.min(1, Math.max(i.high(), w.getUpperBound())));
  }

  /** One bootstrap resample: {@code idx.length} indices drawn with replacement. */
  static void draw(SplittableRandom random, int[] idx) {
    for (int i = 0; i < idx.length; i++) {
      idx[i] = random.nextInt(idx.length);
    }
  }

  private double rawFraction(double[] scores, int[] idx) {
    int n = idx == null ? scores.length : idx.length;
    long mergers = 0;
    for (int i = 0; i < n; i++) {
      if (criterion.isCalled(scores[idx == null ? i : idx[i]])) {
        mergers++;
      }
    }
    return (double) mergers / n;
  }

  private static double mean(double[] scores, int[] idx) {
    int n = idx == null ? scores.length : idx.length;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += scores[idx == null ? i : idx[i]];
    }
    return sum / n;
  }

  /** Percentile interval; resamples where the statistic is undefined (NaN) are left out. */
  private Interval interval(double value, double[] replicates) {
    double[] finite = Arrays.stream(replicates).filter(Double::isFinite).sorted().toArray();
    if (finite.length == 0) {
      return new Interval(value, Double.NaN, Double.NaN);
    }
    double tail = (1 - confidence) / 2;
    return new Interval(value, quantile(finite, tail), quantile(finite, 1 - tail));
  }

  /** Guava's linear interpolation between order statistics, at {@code q} to 1e-6. */
  static double quantile(double[] values, double q) {
    return Quantiles.scale(1_000_000).index((int) Math.round(q * 1_000_000)).compute(values);
  }
}
