package org.gzpipelines.mergers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The corrected fraction at other decisions agrees across decisions when the test galaxies are
 * like the validation split, and runs apart when the model's votes on the test images are not
 * (the astronomer's real sample: 2% at 0.4, 25% at auto). A decision that recovers few validation
 * mergers is noisy, and its interval says so instead of flagging it.
 */
class DecisionSensitivityTest {

  private static final MergerCriterion AT_04 = MergerCriterion.mergerVote(0.4);

  /** Votes of a sample with {@code fraction} mergers: true 0.6 or ~0.02, predicted with noise. */
  private static double[][] sample(int n, double fraction, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] truth = new double[n];
    double[] predicted = new double[n];
    for (int i = 0; i < n; i++) {
      truth[i] = r.nextDouble() < fraction ? 0.6 : 0.04 * r.nextDouble();
      predicted[i] = Math.max(0, Math.min(1, (truth[i] > 0.4 ? 0.45 : 0.05) + 0.12 * r.nextGaussian()));
    }
    return new double[][] {predicted, truth};
  }

  @Test
  void testGalaxiesLikeTheValidationSplitGiveOneFractionAtEveryDecision() {
    double[][] val = sample(4000, 0.1, 1);
    double[][] test = sample(4000, 0.05, 2);
    MergerCriterion auto = MergerCriterion.breakEven(0.4, val[0], val[1]);
    DecisionSensitivity s = DecisionSensitivity.of(AT_04, auto, test[0], val[0], val[1], 7);

    assertTrue(s.stable(), s.line());
    assertTrue(new Reliability(List.of()).withDecisions(s).reliable());
    // The true 5% inside the 95% intervals (one of six rows may miss it by chance), none flagged.
    assertTrue(s.rows().stream().filter(row -> row.low() <= 0.05 && 0.05 <= row.high()).count() >= s.rows().size() - 1,
        s.rows().toString());
    s.rows().forEach(row -> assertFalse(row.differs(), row.toString()));
    List<String> labels = s.rows().stream().map(DecisionSensitivity.Row::label).filter(l -> !l.isEmpty()).toList();
    assertTrue(labels.contains("in use") && labels.contains("auto"), labels.toString());
    assertEquals(DecisionSensitivity.GRID.length + 1, s.rows().size(), "0.4 is on the grid, auto is not");
    assertTrue(s.line().contains("0.40 (in use): "), s.line());
    assertFalse(s.line().contains("n/a"), s.line());

    // Validation predictions that never reach 0.5: no correction there, and the line says why.
    double[] low = Arrays.stream(val[0]).map(p -> Math.min(p, 0.45)).toArray();
    DecisionSensitivity capped = DecisionSensitivity.of(AT_04, auto, test[0], low, val[1], 7);
    assertTrue(capped.line().contains("0.50: n/a") && capped.line().endsWith("(n/a: at that decision the validation"
        + " split's completeness does not exceed its false-positive rate, so the share called cannot be corrected)"), capped.line());
  }

  @Test
  void votesThatRunHighOnTheTestImagesMakeTheFractionDependOnTheDecision() {
    double[][] val = sample(4000, 0.1, 1);
    double[][] test = sample(4000, 0.03, 3);
    for (int i = 0; i < test[0].length; i++) {
      test[0][i] = Math.min(1, test[0][i] + 0.12); // unlike images: every vote a little higher, as on real galaxies
    }
    MergerCriterion auto = MergerCriterion.breakEven(0.4, val[0], val[1]);
    DecisionSensitivity s = DecisionSensitivity.of(AT_04, auto, test[0], val[0], val[1], 7);

    assertFalse(s.stable(), s.line());
    assertTrue(s.highest().getAsDouble() > 2 * s.lowest().getAsDouble(), s.line());
    assertTrue(s.line().contains("*"), "the differing decisions are marked: " + s.line());
    // The corrected fraction is marked unreliable for it, with the range.
    List<String> reasons = new Reliability(List.of()).withDecisions(s).reasons();
    assertEquals(1, reasons.size());
    assertTrue(reasons.get(0).startsWith("the corrected fraction depends on the decision beyond what sampling explains"
        + " (from "), reasons.get(0));
  }

  @Test
  void aDecisionThatRecoversFewMergersIsNoisyNotDifferent() {
    // The demo's situation at 0.4: compressed merger votes, about a tenth of the validation mergers
    // recovered, 627 validation and 300 test galaxies drawn alike.
    SplittableRandom r = new SplittableRandom(11);
    double[][] val = compressed(627, 0.15, r);
    double[][] test = compressed(300, 0.12, r);
    MergerCriterion auto = MergerCriterion.breakEven(0.4, val[0], val[1]);
    DecisionSensitivity s = DecisionSensitivity.of(AT_04, auto, test[0], val[0], val[1], 7);

    DecisionSensitivity.Row at04 = s.rows().stream().filter(row -> row.decision() == 0.4).findFirst().orElseThrow();
    assertTrue(at04.completeness() < 0.3, at04.toString());
    assertTrue(s.stable(), s.rows().toString());
  }

  private static double[][] compressed(int n, double fraction, SplittableRandom r) {
    double[] truth = new double[n];
    double[] predicted = new double[n];
    for (int i = 0; i < n; i++) {
      boolean merger = r.nextDouble() < fraction;
      truth[i] = merger ? 0.6 : 0.04 * r.nextDouble();
      predicted[i] = Math.max(0, Math.min(1, (merger ? 0.25 : 0.05) + 0.12 * r.nextGaussian()));
    }
    return new double[][] {predicted, truth};
  }
}
