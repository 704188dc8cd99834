package org.gzpipelines.mergers;

import org.gzpipelines.taxonomy.Answer;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;

/**
 * What counts as a merger, stated explicitly: a galaxy whose (predicted or true) vote fraction for
 * an answer reaches a threshold. The default answer is Class8.6, "odd: merger", which in the Kaggle
 * normalisation already equals P(odd) x P(merger | odd).
 *
 * @param answer the answer whose vote fraction decides
 * @param threshold a galaxy is a merger when its vote fraction is at least this
 */
public record MergerCriterion(Answer answer, double threshold) {

  /** Class8.6 at or above {@code threshold}. */
  public static MergerCriterion mergerVote(double threshold) {
    return new MergerCriterion(GalaxyZooTaxonomy.answer("Class8.6"), threshold);
  }

  public MergerCriterion {
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("merger threshold must be in (0, 1], got " + threshold);
    }
  }

  /** The score this criterion thresholds, from a 37-value vector. */
  public double score(float[] values) {
    return values[answer.index()];
  }

  public boolean isMerger(double score) {
    return score >= threshold;
  }

  @Override
  public String toString() {
    return answer.id() + " (" + answer.name() + ") >= " + threshold;
  }
}
