package org.gzpipelines.mergers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.gzpipelines.report.Numbers;

/**
 * The corrected merger fraction at other decision thresholds than the one in use: a grid of
 * predicted Class8.6 values and the break-even decision ({@code --decision auto}). Where the
 * validation calibration holds for the test images, every decision that separates mergers gives
 * about the same corrected fraction: the correction removes the decision's own completeness and
 * false positives. A fraction that moves by several times from one decision to another (2% at 0.4,
 * 25% at auto, an astronomer's trial on 300 real galaxies) is set by the decision, not measured, and
 * quoting the one in use would hide that.
 *
 * <p>How far each decision's value may differ from the one in use by chance comes from a paired
 * bootstrap: test and validation galaxies are resampled together, and every decision's corrected
 * fraction is computed on each resample, so the differences carry the rows' shared data. A
 * delta-method standard error, tried first, was far too small where a decision recovers few
 * validation mergers (an astronomer's re-check: 4% where a simulation gave 16%). The resampling
 * and percentiles are {@link MergerFractionEstimator}'s.
 *
 * @param rows one per decision, lowest first
 */
public record DecisionSensitivity(List<Row> rows) {

  /** Decisions tried beside the one in use and auto: predicted vote fractions span 0-0.6 in practice. */
  static final double[] GRID = {0.1, 0.2, 0.3, 0.4, 0.5};
  /** Bootstrap resamples: each costs one pass over the test and the validation scores. */
  static final int RESAMPLES = 500;
  /**
   * Two-sided level of each row's test against the decision in use: 1% for each of about six rows,
   * about 5% for them all (Bonferroni).
   */
  static final double ROW_ALPHA = 0.01;
  /** A difference must also exceed this many percentage points and this share of the value in use to count. */
  static final double MIN_POINTS = 0.02;
  static final double MIN_RELATIVE = 0.3;

  /**
   * The estimate at one decision.
   *
   * @param label "in use", "auto" (break-even), both, or empty
   * @param corrected NaN where the calibration cannot tell mergers from non-mergers at this decision
   * @param low the 95% bootstrap interval of {@code corrected}, with {@code high} (NaN where undefined)
   * @param differs whether it differs from the decision in use beyond what sampling explains (its
   *     paired difference's {@link #ROW_ALPHA} interval excludes 0), by more than {@link
   *     #MIN_POINTS} and {@link #MIN_RELATIVE}
   */
  public record Row(double decision, String label, long called, double raw, double completeness,
      double falsePositiveRate, double corrected, double low, double high, boolean differs) {}

  /**
   * @param inUse the criterion the stage measures with
   * @param breakEven where {@code --decision auto} calls
   * @param seed the bootstrap's
   */
  public static DecisionSensitivity of(MergerCriterion inUse, MergerCriterion breakEven, double[] testScores,
      double[] validationPredicted, double[] validationTruth, long seed) {
    TreeMap<Double, String> labels = new TreeMap<>();
    Arrays.stream(GRID).forEach(d -> labels.put(d, ""));
    labels.merge(breakEven.decision(), "auto", DecisionSensitivity::both);
    labels.merge(inUse.decision(), "in use", DecisionSensitivity::both);
    double[] decisions = labels.keySet().stream().mapToDouble(Double::doubleValue).toArray();
    int used = Arrays.binarySearch(decisions, inUse.decision());
    Tally point = Tally.of(decisions, inUse.threshold(), testScores, null, validationPredicted, validationTruth, null);

    double[][] replicates = new double[decisions.length][RESAMPLES];
    SplittableRandom random = new SplittableRandom(seed);
    int[] testIdx = new int[testScores.length];
    int[] valIdx = new int[validationPredicted.length];
    for (int b = 0; b < RESAMPLES; b++) {
      MergerFractionEstimator.draw(random, testIdx);
      MergerFractionEstimator.draw(random, valIdx);
      Tally resample = Tally.of(decisions, inUse.threshold(), testScores, testIdx, validationPredicted, validationTruth,
          valIdx);
      for (int d = 0; d < decisions.length; d++) {
        replicates[d][b] = resample.corrected(d);
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int d = 0; d < decisions.length; d++) {
      double[] interval = percentiles(replicates[d], 0.025, 0.975);
      double[] difference = new double[RESAMPLES];
      for (int b = 0; b < RESAMPLES; b++) {
        difference[b] = replicates[d][b] - replicates[used][b];
      }
      double[] band = percentiles(difference, ROW_ALPHA / 2, 1 - ROW_ALPHA / 2);
      double gap = Math.abs(point.corrected(d) - point.corrected(used));
      boolean differs = d != used && !Double.isNaN(gap) && (band[0] > 0 || band[1] < 0)
          && gap > Math.max(MIN_POINTS, MIN_RELATIVE * point.corrected(used));
      ThresholdCalibration c = point.calibrations()[d];
      rows.add(new Row(decisions[d], labels.get(decisions[d]), point.called()[d], point.raw(d), c.completeness(),
          c.falsePositiveRate(), point.corrected(d), interval[0], interval[1], differs));
    }
    return new DecisionSensitivity(List.copyOf(rows));
  }

  /**
   * What each decision calls, on the test galaxies and the validation split, in one pass over each:
   * the point estimate's galaxies, or a bootstrap resample's.
   *
   * @param called test galaxies called mergers at each decision
   * @param galaxies test galaxies
   * @param calibrations the validation split's counts at each decision
   */
  private record Tally(long[] called, int galaxies, ThresholdCalibration[] calibrations) {

    /** Over the galaxies of the index arrays (null: all of them); {@code decisions} ascending. */
    static Tally of(double[] decisions, double threshold, double[] test, int[] testIdx, double[] valPredicted,
        double[] valTruth, int[] valIdx) {
      int n = testIdx == null ? test.length : testIdx.length;
      int m = valIdx == null ? valPredicted.length : valIdx.length;
      long[] called = new long[decisions.length];
      for (int i = 0; i < n; i++) {
        double s = test[testIdx == null ? i : testIdx[i]];
        for (int d = 0; d < decisions.length && s >= decisions[d]; d++) { // called at d: at every lower one too
          called[d]++;
        }
      }
      long mergers = 0;
      long[] truePositives = new long[decisions.length];
      long[] falsePositives = new long[decisions.length];
      for (int i = 0; i < m; i++) {
        int k = valIdx == null ? i : valIdx[i];
        boolean merger = valTruth[k] >= threshold;
        mergers += merger ? 1 : 0;
        for (int d = 0; d < decisions.length && valPredicted[k] >= decisions[d]; d++) {
          (merger ? truePositives : falsePositives)[d]++;
        }
      }
      ThresholdCalibration[] calibrations = new ThresholdCalibration[decisions.length];
      for (int d = 0; d < decisions.length; d++) {
        calibrations[d] = new ThresholdCalibration(truePositives[d], falsePositives[d], mergers - truePositives[d],
            m - mergers - falsePositives[d]);
      }
      return new Tally(called, n, calibrations);
    }

    double raw(int d) {
      return galaxies == 0 ? Double.NaN : (double) called[d] / galaxies;
    }

    double corrected(int d) {
      return calibrations[d].correct(raw(d));
    }
  }

  /** The percentiles {@code p} and {@code q} of the defined values; NaN where fewer than half are defined. */
  private static double[] percentiles(double[] values, double p, double q) {
    double[] defined = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
    if (defined.length < values.length / 2 || defined.length == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    return new double[] {MergerFractionEstimator.quantile(defined, p), MergerFractionEstimator.quantile(defined, q)};
  }

  private static String both(String a, String b) {
    return a.isEmpty() ? b : b + ", " + a;
  }

  /** The lowest corrected fraction over the decisions where it is defined. */
  public OptionalDouble lowest() {
    return rows.stream().mapToDouble(Row::corrected).filter(v -> !Double.isNaN(v)).min();
  }

  /** The highest corrected fraction over the decisions where it is defined. */
  public OptionalDouble highest() {
    return rows.stream().mapToDouble(Row::corrected).filter(v -> !Double.isNaN(v)).max();
  }

  /** Whether no decision's corrected fraction differs from the one in use ({@link Row#differs}). */
  public boolean stable() {
    return rows.stream().noneMatch(Row::differs);
  }

  /**
   * One line for the console: the corrected fraction at each decision, e.g. "0.10: 31%, 0.12 (auto):
   * 25%, ..., 0.40 (in use): 2%"; a value that differs from the one in use is marked "*".
   */
  public String line() {
    StringBuilder s = new StringBuilder();
    for (Row r : rows) {
      if (s.length() > 0) {
        s.append(", ");
      }
      s.append(String.format(Locale.ROOT, "%.2f%s: %s%s", r.decision(), r.label().isEmpty() ? "" : " (" + r.label() + ")",
          Numbers.percent(r.corrected()), r.differs() ? "*" : ""));
    }
    if (rows.stream().anyMatch(r -> Double.isNaN(r.corrected()))) {
      s.append(" (n/a: at that decision the validation split's completeness does not exceed its false-positive"
          + " rate, so the share called cannot be corrected)");
    }
    return s.toString();
  }
}
