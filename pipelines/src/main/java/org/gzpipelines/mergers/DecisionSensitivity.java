package org.gzpipelines.mergers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
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
 * @param rows one per decision, lowest first
 */
public record DecisionSensitivity(List<Row> rows) {

  /** Decisions tried beside the one in use and auto: predicted vote fractions span 0-0.6 in practice. */
  static final double[] GRID = {0.1, 0.2, 0.3, 0.4, 0.5};

  /**
   * The estimate at one decision.
   *
   * @param label "in use", "auto" (break-even), both, or empty
   * @param corrected NaN where the calibration cannot tell mergers from non-mergers at this decision
   * @param standardError of {@code corrected}, from the binomial errors of the raw share, the
   *     completeness and the false-positive rate (delta method): large at decisions that call
   *     nearly everything or nearly nothing
   */
  public record Row(double decision, String label, long called, double raw, double completeness,
      double falsePositiveRate, double corrected, double standardError) {}

  /**
   * @param inUse the criterion the stage measures with
   * @param breakEven where {@code --decision auto} calls
   */
  public static DecisionSensitivity of(MergerCriterion inUse, MergerCriterion breakEven, double[] testScores,
      double[] validationPredicted, double[] validationTruth) {
    TreeMap<Double, String> decisions = new TreeMap<>();
    Arrays.stream(GRID).forEach(d -> decisions.put(d, ""));
    decisions.merge(breakEven.decision(), "auto", DecisionSensitivity::both);
    decisions.merge(inUse.decision(), "in use", DecisionSensitivity::both);
    List<Row> rows = new ArrayList<>();
    decisions.forEach((d, label) -> {
      MergerCriterion at = MergerCriterion.mergerVote(inUse.threshold(), d);
      long called = Arrays.stream(testScores).filter(at::isCalled).count();
      double raw = testScores.length == 0 ? Double.NaN : (double) called / testScores.length;
      ThresholdCalibration c = ThresholdCalibration.of(validationPredicted, validationTruth, at);
      rows.add(new Row(d, label, called, raw, c.completeness(), c.falsePositiveRate(), c.correct(raw),
          standardError(raw, testScores.length, c)));
    });
    return new DecisionSensitivity(List.copyOf(rows));
  }

  /**
   * The delta-method standard error of f = (r - fpr) / (c - fpr), r, c and fpr each a binomial share
   * (of the test galaxies, the validation mergers, the validation non-mergers). Written by hand: a
   * few lines, where a bootstrap per decision would cost a thousand passes over the sample each.
   */
  private static double standardError(double raw, long n, ThresholdCalibration c) {
    double cp = c.completeness();
    double fpr = c.falsePositiveRate();
    long mergers = c.truePositives() + c.falseNegatives();
    long others = c.falsePositives() + c.trueNegatives();
    double gap = cp - fpr;
    if (!(gap > 0) || n == 0 || mergers == 0 || others == 0) {
      return Double.NaN;
    }
    double dRaw = 1 / gap;
    double dFpr = (raw - cp) / (gap * gap);
    double dCp = -(raw - fpr) / (gap * gap);
    return Math.sqrt(dRaw * dRaw * raw * (1 - raw) / n + dFpr * dFpr * fpr * (1 - fpr) / others
        + dCp * dCp * cp * (1 - cp) / mergers);
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

  /**
   * Whether the corrected fraction at every decision agrees with the one in use: it differs from it
   * by at most three times their standard errors combined (about the Bonferroni bound for six
   * comparisons at 5%), or by at most a factor of 2 or 2 percentage points. The standard errors keep
   * the noisy outer decisions (0.1 calls a third of an unshifted sample's non-mergers) from raising a
   * false alarm; the factor keeps a small, well-measured difference from raising one. Approximate:
   * the rows share their data, so they are not independent.
   */
  public boolean stable() {
    Row used = rows.stream().filter(r -> r.label().contains("in use")).findFirst().orElseThrow();
    if (Double.isNaN(used.corrected())) {
      return true; // nothing to compare with
    }
    for (Row r : rows) {
      if (Double.isNaN(r.corrected())) {
        continue;
      }
      double low = Math.min(r.corrected(), used.corrected());
      double high = Math.max(r.corrected(), used.corrected());
      double noise = 3 * Math.hypot(orZero(r.standardError()), orZero(used.standardError()));
      if (high - low > Math.max(noise, 0.02) && high > 2 * low) {
        return false;
      }
    }
    return true;
  }

  private static double orZero(double v) {
    return Double.isNaN(v) ? 0 : v;
  }

  /**
   * One line for the console: the corrected fraction at each decision, e.g. "0.10: 31%, 0.12 (auto):
   * 25%, ..., 0.40 (in use): 2%".
   */
  public String line() {
    StringBuilder s = new StringBuilder();
    for (Row r : rows) {
      if (s.length() > 0) {
        s.append(", ");
      }
      s.append(String.format(Locale.ROOT, "%.2f%s: %s", r.decision(), r.label().isEmpty() ? "" : " (" + r.label() + ")",
          Numbers.percent(r.corrected())));
    }
    return s.toString();
  }
}
