package org.gzpipelines.evaluate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.gzpipelines.schemas.Prediction;

/**
 * Per label and per ordering (by truth, by prediction), the {@link EvaluatePipeline#EXTREMES}
 * validation galaxies ranked highest, all in one accumulator of a global combine.
 *
 * <p>Why one accumulator rather than {@code Top.perKey}: a per-key combine makes a group per label
 * and ordering (74 for the 37 answers), and the Direct runner makes each group its own bundle in
 * every step downstream, each paying the runner's fixed per-bundle cost; that cost, not the
 * ranking, was most of gz evaluate's time on small splits. The result is one element.
 */
final class Extremes implements Serializable {
  private final int[] labels;
  private final TreeMap<String, TreeSet<Ranked>> top = new TreeMap<>();

  Extremes(int[] labels) {
    this.labels = labels.clone();
  }

  /**
   * Ranks a labelled prediction for every label, by its truth and by its prediction; whether it is
   * now among the highest of any.
   */
  boolean add(Prediction p) {
    boolean ranked = false;
    for (int j : labels) {
      float truth = p.getLabels().get(j);
      float predicted = p.getPredictions().get(j);
      ranked |= offer(Labels.key(j, Labels.BY_TRUTH), new Ranked(p.getGalaxyId(), truth, predicted, truth));
      ranked |= offer(Labels.key(j, Labels.BY_PREDICTION), new Ranked(p.getGalaxyId(), truth, predicted, predicted));
    }
    return ranked;
  }

  void merge(Extremes other) {
    other.top.forEach((key, ranked) -> ranked.forEach(r -> offer(key, r)));
  }

  /** Whether {@code r} is among the highest of {@code key} once offered. */
  private boolean offer(String key, Ranked r) {
    TreeSet<Ranked> ranked = top.computeIfAbsent(key, k -> new TreeSet<>(new Ranked.ByScore()));
    ranked.add(r);
    return ranked.size() <= EvaluatePipeline.EXTREMES || !ranked.pollFirst().equals(r);
  }

  /** How many galaxies it ranks at most (some may be ranked for several labels). */
  int capacity() {
    return labels.length * 2 * EvaluatePipeline.EXTREMES;
  }

  /** Each label and ordering with its galaxies, highest score first. */
  List<EvaluatePipeline.RankedLine> lines() {
    List<EvaluatePipeline.RankedLine> lines = new ArrayList<>();
    for (Map.Entry<String, TreeSet<Ranked>> e : top.entrySet()) {
      lines.add(new EvaluatePipeline.RankedLine(e.getKey(), new ArrayList<>(e.getValue().descendingSet())));
    }
    return lines;
  }

  /** The ids of every galaxy ranked (a galaxy may be ranked for several labels). */
  List<Long> ids() {
    return top.values().stream().flatMap(TreeSet::stream).map(Ranked::galaxyId).distinct().toList();
  }
}
