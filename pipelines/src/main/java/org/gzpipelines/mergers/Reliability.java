package org.gzpipelines.mergers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.gzpipelines.report.Numbers;

/**
 * Why the corrected merger fraction should not be trusted, each reason a sentence for the console
 * and the report; none means nothing known speaks against it. The correction assumes that the
 * classifier's completeness and false-positive rate on the validation split hold on the test
 * images; each reason is evidence that they do not, or that they were measured on too little.
 */
public record Reliability(List<String> reasons) {

  /** Below this many recovered validation mergers the calibration rests on almost nothing. */
  static final int MIN_RECOVERED_MERGERS = 5;

  /**
   * Above this share of the images left out (dead letters), the fraction is of a selection of the
   * sample: cutouts of one size, or one format, need not be a random part of it.
   */
  static final double MAX_LEFT_OUT_SHARE = 0.1;

  /**
   * Below this completeness less false-positive rate, the correction multiplies every error of the
   * raw fraction and of the calibration by more than 5: the criterion barely tells mergers apart.
   */
  static final double WEAK_SEPARATION = 0.2;

  /** A corrected fraction's interval wider than this says next to nothing. */
  static final double WIDE_INTERVAL = 0.5;

  public Reliability {
    reasons = List.copyOf(reasons);
  }

  public boolean reliable() {
    return reasons.isEmpty();
  }

  /**
   * The reasons against estimate {@code e}, given the domain-shift check's {@code shift}; {@code
   * autoDecision} says whether the decision threshold is already the one {@code --decision auto}
   * picks, so that no reason suggests it again.
   */
  static Reliability of(MergerFractionEstimator.Estimate e, Optional<DomainShift> shift, boolean autoDecision) {
    List<String> reasons = new ArrayList<>();
    ThresholdCalibration c = e.calibration();
    Numbers.Shown raw = Numbers.percentInterval(e.raw().value(), e.raw().low(), e.raw().high());
    if (Double.isNaN(e.corrected().value())) {
      reasons.add(c.total() == 0 ? "there is no labelled validation split to calibrate the criterion on"
          : "on the validation split the criterion does not separate mergers from non-mergers (completeness"
              + " not above the false-positive rate)");
    }
    shift.filter(DomainShift::detected).ifPresent(s -> reasons.add(s.explainedByPrevalence()
        ? "the corrected fraction does not fit the test images: they differ from validation galaxies drawn at it"
            + " (" + s.shiftedSummary(6) + "), but not from ones drawn at " + s.matching().get() + " mergers ("
            + s.scan().get().tried() + "): " + s.imagesFinding() + ", so the corrected fraction looks off"
        : "domain shift: the test images differ from the validation split" + s.whereCompared() + " beyond what"
            + " sampling explains, in " + s.shiftedByKind() + ", so the validation calibration need not hold for"
            + " them"));
    // A clamp only happens to a defined correction.
    boolean defined = !Double.isNaN(e.corrected().value());
    if (defined && e.raw().low() > c.completeness()) {
      reasons.add(String.format(Locale.ROOT, "the raw fraction %s (%s) lies above the validation"
          + " completeness %s: more galaxies are called mergers than even a sample of nothing but mergers would"
          + " give under the calibration, so the corrected value is clamped at 1", raw.value(), raw.range(),
          Numbers.percent(c.completeness())));
    }
    if (defined && e.raw().high() < c.falsePositiveRate()) {
      reasons.add(String.format(Locale.ROOT, "the raw fraction %s (%s) lies below the validation"
          + " false-positive rate %s: fewer galaxies are called mergers than even a sample without a single merger"
          + " would give under the calibration, so the corrected value is clamped at 0", raw.value(), raw.range(),
          Numbers.percent(c.falsePositiveRate())));
    }
    double separation = c.completeness() - c.falsePositiveRate();
    if (defined && separation < WEAK_SEPARATION && e.corrected().high() - e.corrected().low() > WIDE_INTERVAL) {
      reasons.add(String.format(Locale.ROOT, "at this decision threshold the model recovers %s of the validation split's"
          + " true mergers and calls %s of its non-mergers mergers: it barely tells them apart, so the correction"
          + " divides by the difference and its interval spans %s; a model that separates them (trained longer, or"
          + " on more mergers) is needed for a corrected fraction", Numbers.percent(c.completeness()),
          Numbers.percent(c.falsePositiveRate()), Numbers.percentInterval(e.corrected().value(), e.corrected().low(),
              e.corrected().high()).range()));
    }
    if (c.total() > 0 && c.truePositives() < MIN_RECOVERED_MERGERS) {
      reasons.add("at this decision threshold the model recovers only " + c.truePositives() + " of the validation"
          + " split's true mergers, so the correction rests on almost nothing and its interval understates the"
          + " uncertainty " + (autoDecision
              ? "(even where it calls as many galaxies mergers as the split holds: train longer or on more mergers)"
              : "(--decision auto calls where it recovers as many as it calls)"));
    }
    return new Reliability(reasons);
  }

  /**
   * Adds a reason when the corrected fraction depends on the decision beyond what sampling explains
   * ({@link DecisionSensitivity#stable}): then the validation calibration does not carry over to
   * these galaxies, whether or not the domain-shift check saw why.
   */
  Reliability withDecisions(DecisionSensitivity decisions) {
    if (decisions.stable()) {
      return this;
    }
    List<String> all = new ArrayList<>(reasons);
    all.add("the corrected fraction depends on the decision beyond what sampling explains (from "
        + Numbers.percent(decisions.lowest().getAsDouble()) + " to " + Numbers.percent(decisions.highest().getAsDouble())
        + " over the decisions in the report; those marked * differ from the one in use), so the validation"
        + " calibration does not carry over to these galaxies");
    return new Reliability(all);
  }

  /**
   * These reasons and, where more than {@link #MAX_LEFT_OUT_SHARE} of the images were left out
   * ({@code leftOut} dead letters of the kinds in {@code kinds}, beside {@code measured} galaxies),
   * that the fraction is of the usable part of the sample only.
   */
  Reliability withLeftOut(long leftOut, long measured, Map<String, Long> kinds) {
    long offered = leftOut + measured;
    if (offered == 0 || leftOut <= MAX_LEFT_OUT_SHARE * offered) {
      return this;
    }
    List<String> all = new ArrayList<>(reasons);
    all.add(String.format(Locale.ROOT, "%,d of the %,d images given (%s) could not be used (%s), so the fraction is of"
        + " the %,d that could, which need not be a random part of the sample: fix the rest as their dead letters"
        + " say (cutouts of another size: gz ingest each size as its fix says, and measure each)", leftOut, offered,
        Numbers.percent((double) leftOut / offered), kinds.entrySet().stream().map(k -> k.getKey() + " " + k.getValue())
            .collect(Collectors.joining(", ")), measured));
    return new Reliability(all);
  }
}
