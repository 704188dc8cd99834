package org.gzpipelines.evaluate;

import java.util.Comparator;

/**
 * One validation galaxy ranked for one label: its true and predicted value and the score it is
 * ranked by (one of the two). Ids and numbers only: the images stay in the units' candidate files.
 */
public record Ranked(long galaxyId, float truth, float predicted, float score) {

  /**
   * Smaller score first (callers that want the largest take the descending order); ties broken by
   * galaxy id, so every runner picks the same galaxies.
   */
  static final class ByScore implements Comparator<Ranked> {
    @Override
    public int compare(Ranked a, Ranked b) {
      int c = Float.compare(a.score, b.score);
      return c != 0 ? c : Long.compare(b.galaxyId, a.galaxyId);
    }
  }
}
