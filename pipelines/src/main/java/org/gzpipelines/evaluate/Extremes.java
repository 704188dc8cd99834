package org.gzpipelines.evaluate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.gzpipelines.predict.PredictImages;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Prediction;

/**
 * Per label and per ordering (by truth, by prediction), the {@link EvaluatePipeline#EXTREMES}
 * validation galaxies ranked highest: what the extremes figures show. Ranked twice with the same
 * rule: by each work unit over its own galaxies, keeping their images ({@link Preselection},
 * written into {@code extreme-candidates/}), and by the driver over all validation predictions
 * ({@link ValidationScores}). The extremes over all galaxies are among the units' extremes, so
 * their images were kept, and the split is read once.
 */
final class Extremes {
  private final int[] labels;
  private final TreeMap<String, TreeSet<Ranked>> top = new TreeMap<>();

  /** One label and ordering with its galaxies, highest score first. */
  record RankedLine(String key, List<Ranked> galaxies) {}

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
  List<RankedLine> lines() {
    List<RankedLine> lines = new ArrayList<>();
    top.forEach((key, ranked) -> lines.add(new RankedLine(key, new ArrayList<>(ranked.descendingSet()))));
    return lines;
  }

  /** The ids of every galaxy ranked (a galaxy may be ranked for several labels). */
  List<Long> ids() {
    return top.values().stream().flatMap(TreeSet::stream).map(Ranked::galaxyId).distinct().toList();
  }

  /**
   * One work unit's extremes with their images: at most {@link #capacity} galaxies handed over,
   * and no more than twice that held while the unit runs. Unlabelled galaxies are not ranked.
   */
  static final class Preselection implements PredictImages.Candidates {
    private final Extremes extremes;
    private final Map<Long, Galaxy> images = new HashMap<>();

    Preselection(int[] labels) {
      this.extremes = new Extremes(labels);
    }

    @Override
    public void offer(Prediction prediction, Galaxy galaxy) {
      if (!ValidationScores.isLabelledVal(prediction) || !extremes.add(prediction)) {
        return; // unlabelled, or below this unit's extremes
      }
      images.put(prediction.getGalaxyId(), galaxy);
      if (images.size() > 2 * extremes.capacity()) {
        images.keySet().retainAll(new HashSet<>(extremes.ids()));
      }
    }

    @Override
    public void drainTo(Consumer<Galaxy> out) {
      images.keySet().retainAll(new HashSet<>(extremes.ids()));
      images.values().forEach(out);
      images.clear();
    }
  }

  /** Each work unit's {@link Preselection} of {@code labels}, for {@link PredictImages#withCandidates}. */
  static PredictImages.Candidates.PerUnit preselection(int[] labels) {
    int[] ranked = labels.clone();
    return () -> new Preselection(ranked);
  }
}
