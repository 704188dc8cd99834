package org.gzpipelines.evaluate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.gzpipelines.predict.Picks;
import org.gzpipelines.predict.PredictImages;
import org.gzpipelines.schemas.Prediction;

/**
 * Per label and per ordering (by truth, by prediction), the {@link EvaluatePipeline#EXTREMES}
 * validation galaxies ranked highest: what the extremes figures show. Ranked twice ({@link Picks}):
 * by each work unit over its own galaxies, which writes their images into {@code
 * extreme-candidates/}, and by the driver over all validation predictions ({@link
 * ValidationScores}), so the split is read once.
 */
final class Extremes implements Picks {
  private final int[] labels;
  private final TreeMap<String, TreeSet<Ranked>> top = new TreeMap<>();

  /** One label and ordering with its galaxies, highest score first. */
  record RankedLine(String key, List<Ranked> galaxies) {}

  Extremes(int[] labels) {
    this.labels = labels.clone();
  }

  /**
   * Ranks a labelled validation prediction for every label, by its truth and by its prediction;
   * whether it is now among the highest of any. Others are not ranked.
   */
  @Override
  public boolean offer(Prediction p) {
    if (!ValidationScores.isLabelledVal(p)) {
      return false;
    }
    boolean ranked = false;
    for (int j : labels) {
      float truth = p.getLabels().get(j);
      float predicted = p.getPredictions().get(j);
      ranked |= rank(Labels.key(j, Labels.BY_TRUTH), new Ranked(p.getGalaxyId(), truth, predicted, truth));
      ranked |= rank(Labels.key(j, Labels.BY_PREDICTION), new Ranked(p.getGalaxyId(), truth, predicted, predicted));
    }
    return ranked;
  }

  /** Whether {@code r} is among the highest of {@code key} once offered. */
  private boolean rank(String key, Ranked r) {
    TreeSet<Ranked> ranked = top.computeIfAbsent(key, k -> new TreeSet<>(new Ranked.ByScore()));
    ranked.add(r);
    return ranked.size() <= EvaluatePipeline.EXTREMES || !ranked.pollFirst().equals(r);
  }

  /** How many galaxies it ranks at most (some may be ranked for several labels). */
  @Override
  public int capacity() {
    return labels.length * 2 * EvaluatePipeline.EXTREMES;
  }

  /** Each label and ordering with its galaxies, highest score first. */
  List<RankedLine> lines() {
    List<RankedLine> lines = new ArrayList<>();
    top.forEach((key, ranked) -> lines.add(new RankedLine(key, new ArrayList<>(ranked.descendingSet()))));
    return lines;
  }

  /** The ids of every galaxy ranked (a galaxy may be ranked for several labels). */
  @Override
  public Set<Long> ids() {
    return top.values().stream().flatMap(TreeSet::stream).map(Ranked::galaxyId).collect(Collectors.toSet());
  }

  /** Each work unit's {@link Extremes} of {@code labels}, for {@link PredictImages#withCandidates}. */
  static Picks.PerUnit perUnit(int[] labels) {
    int[] ranked = labels.clone();
    return () -> new Extremes(ranked);
  }
}
