package org.gzpipelines.mergers;

import com.google.common.collect.MinMaxPriorityQueue;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.gzpipelines.predict.PredictImages;
import org.gzpipelines.predict.SeededSample;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Prediction;

/**
 * Which test galaxies an astronomer looks at: the {@link #TOP} predicted mergers ranked by {@link
 * Candidate#ORDER}, and a seeded random {@link #BELOW} of the galaxies just below the threshold
 * ({@code threshold - BAND <= Class8.6 < threshold}), which shows what the criterion misses.
 *
 * <p>The same rule ({@link Picks}) picks twice: each work unit over its own galaxies, keeping the
 * images of its picks ({@link Preselection}, written into {@code candidates/}), and the gallery
 * over all test predictions ({@link CandidateGallery}). The picks over all galaxies are among the
 * units' picks, so their images were kept, and only a few galaxies' pixels per unit ever reach a
 * file whatever the number of images.
 */
final class CandidateSelection {

  static final int TOP = 50;
  static final int BELOW = 25;
  /** Width of the band below the threshold, in vote fraction. */
  static final double BAND = 0.1;

  private static final Comparator<Prediction> RANKED = (Comparator<Prediction> & Serializable) (a, b) ->
      Candidate.ORDER.compare(Candidate.of(a), Candidate.of(b));

  private CandidateSelection() {}

  /** The picks over the predictions offered, in bounded queues (Guava's drops the worst when full). */
  static final class Picks {
    private final double threshold;
    private final MinMaxPriorityQueue<Prediction> top = MinMaxPriorityQueue.orderedBy(RANKED.reversed())
        .maximumSize(TOP).create();
    private final MinMaxPriorityQueue<Prediction> below;

    Picks(double threshold, long seed) {
      this.threshold = threshold;
      this.below = MinMaxPriorityQueue.orderedBy(new SeededSample(seed).reversed()).maximumSize(BELOW).create();
    }

    /** Whether {@code p} is a predicted merger or in the band below, and so offered to a pick. */
    boolean offer(Prediction p) {
      double m = p.getPredictions().get(Candidate.MERGER);
      if (m >= threshold) {
        return top.add(p);
      }
      return m >= threshold - BAND && below.add(p);
    }

    /** The top predicted mergers, best first. */
    List<Prediction> top() {
      return sorted(top);
    }

    /** The random galaxies below the threshold, by Class8.6 (then Class6.1), highest first. */
    List<Prediction> below() {
      return sorted(below);
    }

    Set<Long> ids() {
      Set<Long> ids = new HashSet<>();
      top.forEach(p -> ids.add(p.getGalaxyId()));
      below.forEach(p -> ids.add(p.getGalaxyId()));
      return ids;
    }

    private static List<Prediction> sorted(MinMaxPriorityQueue<Prediction> picked) {
      List<Prediction> out = new ArrayList<>(picked);
      out.sort(RANKED.reversed());
      return out;
    }
  }

  /**
   * One work unit's picks with their images: at most {@link #TOP} + {@link #BELOW} galaxies handed
   * over, and no more than twice that held while the unit runs.
   */
  static final class Preselection implements PredictImages.Candidates {
    private final Picks picks;
    private final Map<Long, Galaxy> images = new HashMap<>();

    Preselection(double threshold, long seed) {
      this.picks = new Picks(threshold, seed);
    }

    @Override
    public void offer(Prediction prediction, Galaxy galaxy) {
      if (picks.offer(prediction)) {
        images.put(prediction.getGalaxyId(), galaxy);
        if (images.size() > 2 * (TOP + BELOW)) {
          images.keySet().retainAll(picks.ids());
        }
      }
    }

    @Override
    public void drainTo(Consumer<Galaxy> out) {
      images.keySet().retainAll(picks.ids());
      images.values().forEach(out);
      images.clear();
    }
  }

  /** Each work unit's {@link Preselection} for {@code threshold} and {@code seed}, for {@link PredictImages#withCandidates}. */
  static PredictImages.Candidates.PerUnit preselection(double threshold, long seed) {
    return () -> new Preselection(threshold, seed);
  }
}
