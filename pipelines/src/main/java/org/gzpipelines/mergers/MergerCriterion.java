package org.gzpipelines.mergers;

import java.util.Arrays;
import java.util.Locale;
import org.gzpipelines.taxonomy.Answer;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;

/**
 * What counts as a merger, stated explicitly, and when the model calls one. A galaxy IS a merger
 * when its volunteers' vote fraction for an answer reaches {@code threshold} (the default answer is
 * Class8.6, "odd: merger", which in the Kaggle normalisation already equals P(odd) x P(merger |
 * odd)). The model CALLS a galaxy a merger when its predicted vote fraction reaches {@code
 * decision}. The two differ because a network that predicts vote fractions pulls them towards the
 * mean: after a short training few predictions of a rare answer reach the volunteers' threshold, so
 * calling at that threshold recovers few mergers and the corrected fraction divides by a small
 * completeness (docs/BENCHMARKS.md, "The demo's merger threshold").
 *
 * @param answer the answer whose vote fraction decides
 * @param threshold a galaxy is a merger when its true vote fraction is at least this
 * @param decision the model calls a galaxy a merger when its predicted vote fraction is at least this
 */
public record MergerCriterion(Answer answer, double threshold, double decision) {

  /** Class8.6, "odd: merger": the answer gz mergers measures. */
  public static final Answer MERGER_VOTE = GalaxyZooTaxonomy.answer("Class8.6");

  /** Class8.6 at or above {@code threshold}, called at the same value. */
  public static MergerCriterion mergerVote(double threshold) {
    return mergerVote(threshold, threshold);
  }

  /** Class8.6 at or above {@code threshold}, called at predicted {@code decision}. */
  public static MergerCriterion mergerVote(double threshold, double decision) {
    return new MergerCriterion(MERGER_VOTE, threshold, decision);
  }

  /**
   * Class8.6 at or above {@code threshold}, called at the predicted value above which the model
   * calls as many of the validation galaxies mergers as their votes make mergers (the break-even
   * point, where purity equals completeness on the validation split). So, on images like the
   * validation split's, the share called mergers is itself an estimate of the true share, whatever
   * the model's vote scale, and the correction only adjusts for another merger fraction. Without a
   * validation merger (nothing to match) it calls at {@code threshold}.
   *
   * @param validationPredicted predicted vote fractions of the validation split
   * @param validationTruth their true vote fractions, paired
   */
  public static MergerCriterion breakEven(double threshold, double[] validationPredicted, double[] validationTruth) {
    int mergers = (int) Arrays.stream(validationTruth).filter(v -> v >= threshold).count();
    if (mergers == 0) {
      return mergerVote(threshold);
    }
    double[] sorted = validationPredicted.clone();
    Arrays.sort(sorted);
    double kth = sorted[sorted.length - mergers]; // the mergers-th highest prediction
    return mergerVote(threshold, kth > 0 ? kth : threshold);
  }

  public MergerCriterion {
    for (double t : new double[] {threshold, decision}) {
      if (!(t > 0 && t <= 1)) {
        throw new IllegalArgumentException("merger threshold must be in (0, 1], got " + t);
      }
    }
  }

  /** Whether a galaxy with this TRUE vote fraction is a merger. */
  public boolean isMerger(double voteFraction) {
    return voteFraction >= threshold;
  }

  /** Whether the model calls a galaxy with this PREDICTED vote fraction a merger. */
  public boolean isCalled(double predicted) {
    return predicted >= decision;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "called at predicted %s >= %.3f; a merger: volunteers' %s (%s) >= %s",
        answer.id(), decision, answer.id(), answer.name(), threshold);
  }
}
