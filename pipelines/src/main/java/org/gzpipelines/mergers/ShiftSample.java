package org.gzpipelines.mergers;

import com.google.common.collect.MinMaxPriorityQueue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.gzpipelines.evaluate.SeededSample;
import org.gzpipelines.schemas.Prediction;

/**
 * A seeded random sample of at most {@code max} galaxies of one split, each with the values the
 * domain-shift check compares, read from the files the mergers pipeline wrote. The sample keeps the
 * galaxies that come first in the seed's random permutation of GalaxyIDs, so it needs memory for
 * {@code max} galaxies whatever the number of images, and a split's prediction sample and image
 * statistics sample hold the same galaxies.
 */
final class ShiftSample {

  private record Row(long order, long galaxyId, double[] values) {}

  private static final Comparator<Row> FIRST_IN_PERMUTATION =
      Comparator.comparingLong(Row::order).thenComparingLong(Row::galaxyId);

  private final long seed;
  private final MinMaxPriorityQueue<Row> rows;

  ShiftSample(int max, long seed) {
    this.seed = seed;
    // Full: adding a row drops the last one in the permutation.
    this.rows = MinMaxPriorityQueue.orderedBy(FIRST_IN_PERMUTATION).maximumSize(max).create();
  }

  /** The predicted vote fractions (all answers) of the predictions in {@code dir}. */
  static ShiftSample predictions(Path dir, int max, long seed) {
    ShiftSample s = new ShiftSample(max, seed);
    PredictionFiles.forEach(dir, p -> s.add(p.getGalaxyId(), predicted(p)));
    return s;
  }

  /** The {@link ImageStatistics} lines in {@code dir}. */
  static ShiftSample imageStatistics(Path dir, int max, long seed) {
    ShiftSample s = new ShiftSample(max, seed);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path part : files.filter(f -> f.getFileName().toString().endsWith(".csv")).sorted().toList()) {
        try (BufferedReader r = Files.newBufferedReader(part, StandardCharsets.UTF_8)) {
          for (String line = r.readLine(); line != null; line = r.readLine()) {
            if (!line.isBlank()) {
              ImageStatistics i = ImageStatistics.parse(line);
              s.add(i.galaxyId(), i.values());
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read image statistics in " + dir, e);
    }
    return s;
  }

  void add(long galaxyId, double[] values) {
    rows.add(new Row(SeededSample.hash(seed, galaxyId), galaxyId, values));
  }

  int size() {
    return rows.size();
  }

  /** The {@code j}-th value of every sampled galaxy. */
  double[] column(int j) {
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
