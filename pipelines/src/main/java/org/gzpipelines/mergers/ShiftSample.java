package org.gzpipelines.mergers;

import com.google.common.collect.MinMaxPriorityQueue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.gzpipelines.predict.UnitParts;
import org.gzpipelines.predict.SeededSample;
import org.gzpipelines.schemas.Prediction;

/**
 * A seeded random sample of the galaxies of one split, each with the values the domain-shift check
 * compares (predicted answers, then {@link ImageStatistics}), read from the files the mergers
 * pipeline wrote. Galaxies are kept in two strata, true mergers and the rest (a test split, without
 * labels, is all "rest"), each holding at most {@code max} galaxies: those first in the seed's
 * random permutation of GalaxyIDs. Memory stays bounded whatever the number of images, and {@link
 * #draw} can take the strata in any proportion.
 */
final class ShiftSample {

  /** One sampled galaxy: its place in the permutation, id, compared values, and whether it is a true merger. */
  record Row(long order, long galaxyId, double[] values, boolean merger) {}

  private static final Comparator<Row> FIRST_IN_PERMUTATION =
      Comparator.comparingLong(Row::order).thenComparingLong(Row::galaxyId);

  private final long seed;
  private final int max;
  private final MinMaxPriorityQueue<Row> mergers;
  private final MinMaxPriorityQueue<Row> others;

  ShiftSample(int max, long seed) {
    this.seed = seed;
    this.max = max;
    // Full: adding a row drops the last one in the permutation.
    this.mergers = MinMaxPriorityQueue.orderedBy(FIRST_IN_PERMUTATION).maximumSize(max).create();
    this.others = MinMaxPriorityQueue.orderedBy(FIRST_IN_PERMUTATION).maximumSize(max).create();
  }

  /**
   * The predicted vote fractions (all answers) of the predictions in {@code dir} that {@code in}
   * keeps; {@code merger} says which galaxies are true mergers (by their labels), or is null for an
   * unlabelled split.
   */
  static ShiftSample predictions(Path dir, Predicate<Prediction> in, int max, long seed, Predicate<Prediction> merger) {
    ShiftSample s = new ShiftSample(max, seed);
    UnitParts.forEach(dir, Prediction.class, p -> {
      if (in.test(p)) {
        s.add(p.getGalaxyId(), predicted(p), merger != null && merger.test(p));
      }
    });
    return s;
  }

  void add(long galaxyId, double[] values, boolean merger) {
    (merger ? mergers : others).add(new Row(SeededSample.hash(seed, galaxyId), galaxyId, values, merger));
  }

  int mergers() {
    return mergers.size();
  }

  int others() {
    return others.size();
  }

  /**
   * At most {@code max} galaxies, a share {@code mergerFraction} of them true mergers (as close as
   * whole galaxies allow), each stratum's first in the permutation; NaN: the first {@code max} of
   * the split as it is. Empty when the strata cannot give that share (no mergers for a positive one).
   */
  List<Row> draw(double mergerFraction) {
    return draw(mergerFraction, max);
  }

  /** As {@link #draw(double)}, with at most {@code size} galaxies. */
  List<Row> draw(double mergerFraction, int size) {
    if (Double.isNaN(mergerFraction)) {
      return Stream.concat(mergers.stream(), others.stream()).sorted(FIRST_IN_PERMUTATION).limit(size).toList();
    }
    double f = Math.max(0, Math.min(1, mergerFraction));
    double n = Math.min(max, size);
    if (f > 0) {
      n = Math.min(n, mergers.size() / f);
    }
    if (f < 1) {
      n = Math.min(n, others.size() / (1 - f));
    }
    int takeMergers = (int) Math.min(mergers.size(), Math.round(f * n));
    int takeOthers = (int) Math.min(others.size(), Math.round((1 - f) * n));
    List<Row> out = new ArrayList<>(takeMergers + takeOthers);
    mergers.stream().sorted(FIRST_IN_PERMUTATION).limit(takeMergers).forEach(out::add);
    others.stream().sorted(FIRST_IN_PERMUTATION).limit(takeOthers).forEach(out::add);
    return out;
  }

  /**
   * This sample with each galaxy's {@link ImageStatistics} (from the lines in {@code dir}) appended
   * to its values; only the sampled galaxies' lines are kept in memory.
   */
  ShiftSample withImageStatistics(Path dir) {
    ShiftSample out = new ShiftSample(max, seed);
    withImageStatistics(Stream.concat(mergers.stream(), others.stream()).toList(), dir)
        .forEach(r -> (r.merger() ? out.mergers : out.others).add(r));
    return out;
  }

  private static List<Row> withImageStatistics(List<Row> rows, Path dir) {
    Set<Long> wanted = new HashSet<>();
    rows.forEach(r -> wanted.add(r.galaxyId()));
    Map<Long, double[]> statistics = new HashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path part : files.filter(f -> f.getFileName().toString().endsWith(".csv")).sorted().toList()) {
        try (BufferedReader r = Files.newBufferedReader(part, StandardCharsets.UTF_8)) {
          for (String line = r.readLine(); line != null; line = r.readLine()) {
            if (!line.isBlank()) {
              ImageStatistics i = ImageStatistics.parse(line);
              if (wanted.contains(i.galaxyId())) {
                statistics.put(i.galaxyId(), i.values());
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read image statistics in " + dir, e);
    }
    List<Row> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      double[] s = statistics.get(r.galaxyId());
      if (s == null) {
        throw new IllegalStateException("galaxy " + r.galaxyId() + " has a prediction but no image statistics in " + dir);
      }
      double[] values = new double[r.values().length + s.length];
      System.arraycopy(r.values(), 0, values, 0, r.values().length);
      System.arraycopy(s, 0, values, r.values().length, s.length);
      out.add(new Row(r.order(), r.galaxyId(), values, r.merger()));
    }
    return out;
  }

  /** The {@code j}-th value of every row. */
  static double[] column(List<Row> rows, int j) {
    return rows.stream().mapToDouble(r -> r.values()[j]).toArray();
  }

  private static double[] predicted(Prediction p) {
    List<Float> v = p.getPredictions();
    double[] out = new double[v.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = v.get(i);
    }
    return out;
  }
}
