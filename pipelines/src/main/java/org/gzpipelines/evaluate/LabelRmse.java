package org.gzpipelines.evaluate;

import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.gzpipelines.beam.MergingCombineFn;
import org.gzpipelines.schemas.Prediction;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;

/**
 * RMSE over all 37 outputs (the Kaggle metric) and per label, for predictions with known labels.
 *
 * @param galaxies how many labelled predictions were scored
 * @param rmse sqrt of the mean squared error over galaxies and all 37 outputs
 * @param perLabel sqrt of the mean squared error of each output, Kaggle order
 */
public record LabelRmse(long galaxies, double rmse, double[] perLabel) implements Serializable {

  /** A CombineFn of squared-error sums: bounded state (37 sums and a count) whatever the data size. */
  public static Combine.CombineFn<Prediction, Sums, LabelRmse> combineFn() {
    return MergingCombineFn.of(Sums::new, LabelRmse::add, LabelRmse::merge, SerializableCoder.of(Sums.class),
        LabelRmse::of, SerializableCoder.of(LabelRmse.class));
  }

  /** The accumulator: per-label sums of squared errors and the number of galaxies. */
  public static final class Sums implements Serializable {
    final double[] squaredErrors = new double[GalaxyZooTaxonomy.ANSWER_COUNT];
    long galaxies;

    // Value equality, so the Direct runner's mutation check (SerializableCoder compares with equals) works.
    @Override
    public boolean equals(Object o) {
      return o instanceof Sums s && galaxies == s.galaxies && java.util.Arrays.equals(squaredErrors, s.squaredErrors);
    }

    @Override
    public int hashCode() {
      return 31 * Long.hashCode(galaxies) + java.util.Arrays.hashCode(squaredErrors);
    }
  }

  // Sums' shape is left as it was (its serialised form has no explicit serialVersionUID), so the
  // combiner's steps are static methods here, not methods of Sums.
  private static void add(Sums sums, Prediction p) {
    List<Float> labels = p.getLabels();
    if (labels == null) {
      return; // unlabelled (test) galaxies have no error to score
    }
    List<Float> predicted = p.getPredictions();
    for (int j = 0; j < GalaxyZooTaxonomy.ANSWER_COUNT; j++) {
      double d = predicted.get(j) - labels.get(j);
      sums.squaredErrors[j] += d * d;
    }
    sums.galaxies++;
  }

  private static void merge(Sums into, Sums s) {
    for (int j = 0; j < into.squaredErrors.length; j++) {
      into.squaredErrors[j] += s.squaredErrors[j];
    }
    into.galaxies += s.galaxies;
  }

  private static LabelRmse of(Sums sums) {
    double[] perLabel = new double[GalaxyZooTaxonomy.ANSWER_COUNT];
    double total = 0;
    for (int j = 0; j < perLabel.length; j++) {
      perLabel[j] = Math.sqrt(sums.squaredErrors[j] / sums.galaxies);
      total += sums.squaredErrors[j];
    }
    return new LabelRmse(sums.galaxies, Math.sqrt(total / ((double) sums.galaxies * perLabel.length)), perLabel);
  }
}
