package org.gzpipelines.ingest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.gzpipelines.beam.MergingCombineFn;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;

/**
 * Per split: records written, galaxies (original images, copy 0) and the sums of their labels,
 * from which the launcher compares the train and validation label means. Public fields so that
 * Jackson reads and writes it as plain JSON.
 */
public final class SplitStats implements Serializable {
  public Map<String, Long> records = new TreeMap<>();
  public Map<String, Long> galaxies = new TreeMap<>();
  public Map<String, double[]> labelSums = new TreeMap<>();

  void add(Galaxy g) {
    String split = g.getSplit().name();
    records.merge(split, 1L, Long::sum);
    if (g.getCopyIndex() != 0) {
      return;
    }
    galaxies.merge(split, 1L, Long::sum);
    if (g.getLabels() != null) {
      double[] sums = labelSums.computeIfAbsent(split, s -> new double[GalaxyZooTaxonomy.ANSWER_COUNT]);
      for (int i = 0; i < sums.length; i++) {
        sums[i] += g.getLabels().get(i);
      }
    }
  }

  void merge(SplitStats other) {
    other.records.forEach((k, v) -> records.merge(k, v, Long::sum));
    other.galaxies.forEach((k, v) -> galaxies.merge(k, v, Long::sum));
    other.labelSums.forEach((k, v) -> {
      double[] sums = labelSums.computeIfAbsent(k, s -> new double[v.length]);
      for (int i = 0; i < v.length; i++) {
        sums[i] += v[i];
      }
    });
  }

  /** Mean of each label over a split's original images, or null when it has none. */
  public double[] means(String split) {
    double[] sums = labelSums.get(split);
    long n = galaxies.getOrDefault(split, 0L);
    if (sums == null || n == 0) {
      return null;
    }
    double[] means = new double[sums.length];
    for (int i = 0; i < sums.length; i++) {
      means[i] = sums[i] / n;
    }
    return means;
  }

  /** Largest |mean_train - mean_val| over the 37 labels; NaN when a split is empty. */
  @JsonIgnore
  public double maxMeanDifference() {
    double[] train = means("TRAIN");
    double[] val = means("VAL");
    if (train == null || val == null) {
      return Double.NaN;
    }
    double max = 0;
    for (int i = 0; i < train.length; i++) {
      max = Math.max(max, Math.abs(train[i] - val[i]));
    }
    return max;
  }

  /** Index of the label with the largest train/val mean difference, or -1. */
  @JsonIgnore
  public int maxMeanDifferenceLabel() {
    double[] train = means("TRAIN");
    double[] val = means("VAL");
    int best = -1;
    double max = -1;
    for (int i = 0; train != null && val != null && i < train.length; i++) {
      if (Math.abs(train[i] - val[i]) > max) {
        max = Math.abs(train[i] - val[i]);
        best = i;
      }
    }
    return best;
  }

  /**
   * Merges the statistics of every part of the input (each made where its records were written) into
   * one {@link SplitStats} and writes it as {@code <dir>/_stats.json}.
   */
  public static final class Write extends PTransform<PCollection<SplitStats>, PDone> {
    private final String dir;

    public Write(String dir) {
      this.dir = dir;
    }

    @Override
    public PDone expand(PCollection<SplitStats> parts) {
      return parts
          .apply("Combine", Combine.globally(MergingCombineFn.of(
              SplitStats::new, SplitStats::merge, SplitStats::merge, SerializableCoder.of(SplitStats.class))))
          .setCoder(SerializableCoder.of(SplitStats.class))
          .apply("ToJson", MapElements.into(TypeDescriptors.strings()).via(SplitStats::toJson))
          .apply("WriteJson", TextIO.write().to(dir + "/_stats").withSuffix(".json").withoutSharding());
    }
  }

  // Beam checks that a SerializableCoder's type defines equals (it compares decoded values).
  @Override
  public boolean equals(Object o) {
    return o instanceof SplitStats other && toJson().equals(other.toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  String toJson() {
    try {
      return new ObjectMapper().writeValueAsString(this);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static SplitStats fromJson(java.nio.file.Path file) throws java.io.IOException {
    return new ObjectMapper().readValue(file.toFile(), SplitStats.class);
  }
}
