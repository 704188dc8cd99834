package org.gzpipelines.mergers;

import com.google.common.collect.MinMaxPriorityQueue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gzpipelines.predict.Picks;
import org.gzpipelines.predict.PredictImages;
import org.gzpipelines.predict.SeededSample;
import org.gzpipelines.schemas.Prediction;

/**
 * Which test galaxies an astronomer looks at: the {@link #TOP} predicted mergers ranked by {@link
 * Candidate#ORDER}, and a seeded random {@link #BELOW} of the galaxies just below the decision threshold
 * ({@code decision - BAND <= Class8.6 < decision}), which shows what the criterion misses. Picked
 * twice ({@link Picks}): by each work unit over its own galaxies, which writes their images into
 * {@code candidates/}, and by the gallery over all test predictions ({@link CandidateGallery}), in
 * bounded queues (Guava's drops the worst when full).
 */
final class CandidateSelection implements Picks {

  static final int TOP = 50;
  static final int BELOW = 25;
  /** Width of the band below the decision threshold, in vote fraction. */
  static final double BAND = 0.1;

  private static final Comparator<Prediction> RANKED = (a, b) -> Candidate.ORDER.compare(Candidate.of(a), Candidate.of(b));

  private final double decision;
  private final MinMaxPriorityQueue<Prediction> top = MinMaxPriorityQueue.orderedBy(RANKED.reversed())
      .maximumSize(TOP).create();
  private final MinMaxPriorityQueue<Prediction> below;

  CandidateSelection(double decision, long seed) {
    this.decision = decision;
    this.below = MinMaxPriorityQueue.orderedBy(new SeededSample(seed).reversed()).maximumSize(BELOW).create();
  }

  /** Whether {@code p} is a predicted merger or in the band below, and so offered to a pick. */
  @Override
  public boolean offer(Prediction p) {
    double m = p.getPredictions().get(Candidate.MERGER);
    if (m >= decision) {
      return top.add(p);
    }
    return m >= decision - BAND && below.add(p);
  }

  /** The top predicted mergers, best first. */
  List<Prediction> top() {
    return sorted(top);
  }

  /** The random galaxies below the decision threshold, by Class8.6 (then Class6.1), highest first. */
  List<Prediction> below() {
    return sorted(below);
  }

  @Override
  public Set<Long> ids() {
    Set<Long> ids = new HashSet<>();
    top.forEach(p -> ids.add(p.getGalaxyId()));
    below.forEach(p -> ids.add(p.getGalaxyId()));
    return ids;
  }

  @Override
  public int capacity() {
    return TOP + BELOW;
  }

  private static List<Prediction> sorted(MinMaxPriorityQueue<Prediction> picked) {
    List<Prediction> out = new ArrayList<>(picked);
    out.sort(RANKED.reversed());
    return out;
  }

  /** Each work unit's selection for {@code decision} and {@code seed}, for {@link PredictImages#withCandidates}. */
  static Picks.PerUnit perUnit(double decision, long seed) {
    return () -> new CandidateSelection(decision, seed);
  }
}
