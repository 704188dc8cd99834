package org.gzpipelines.mergers;

import java.io.Serializable;
import java.util.Comparator;
import org.gzpipelines.schemas.Prediction;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;

/**
 * One test galaxy as the merger candidate list shows it: its predicted "odd: merger" (Class8.6)
 * and "anything odd: yes" (Class6.1) vote fractions.
 */
record Candidate(long galaxyId, float merger, float odd) {

  static final int MERGER = MergerCriterion.MERGER_VOTE.index();
  static final int ODD = GalaxyZooTaxonomy.answer("Class6.1").index();

  /**
   * The candidate order, best last (so {@code Top.of} keeps the best): higher Class8.6, ties broken
   * by higher Class6.1, then by lower GalaxyID, so every runner and the CSV agree on each rank.
   */
  static final Comparator<Candidate> ORDER = (Comparator<Candidate> & Serializable) (a, b) -> {
    int c = Float.compare(a.merger, b.merger);
    if (c == 0) {
      c = Float.compare(a.odd, b.odd);
    }
    return c != 0 ? c : Long.compare(b.galaxyId, a.galaxyId);
  };

  static Candidate of(Prediction p) {
    return new Candidate(p.getGalaxyId(), p.getPredictions().get(MERGER), p.getPredictions().get(ODD));
  }
}
