package org.gzpipelines.evaluate;

import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;
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
    return new SquaredErrorFn();
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

  static final class SquaredErrorFn extends Combine.CombineFn<Prediction, Sums, LabelRmse> {
    @Override
    public Sums createAccumulator() {
      return new Sums();
    }

    @Override
    public Sums addInput(Sums sums, Prediction p) {
      List<Float> labels = p.getLabels();
      if (labels == null) {
        return sums; // unlabelled (test) galaxies have no error to score
      }
      List<Float> predicted = p.getPredictions();
      for (int j = 0; j < GalaxyZooTaxonomy.ANSWER_COUNT; j++) {
        double d = predicted.get(j) - labels.get(j);
        sums.squaredErrors[j] += d * d;
      }
      sums.galaxies++;
      return sums;
    }

    @Override
    public Sums mergeAccumulators(Iterable<Sums> all) {
      Sums merged = new Sums();
      for (Sums s : all) {
        for (int j = 0; j < merged.squaredErrors.length; j++) {
          merged.squaredErrors[j] += s.squaredErrors[j];
        }
        merged.galaxies += s.galaxies;
      }
      return merged;
    }

    @Override
    public LabelRmse extractOutput(Sums sums) {
      double[] perLabel = new double[GalaxyZooTaxonomy.ANSWER_COUNT];
      double total = 0;
      for (int j = 0; j < perLabel.length; j++) {
        perLabel[j] = Math.sqrt(sums.squaredErrors[j] / sums.galaxies);
        total += sums.squaredErrors[j];
      }
      return new LabelRmse(sums.galaxies, Math.sqrt(total / ((double) sums.galaxies * perLabel.length)), perLabel);
    }

    @Override
    public Coder<Sums> getAccumulatorCoder(CoderRegistry registry, Coder<Prediction> input) {
      return SerializableCoder.of(Sums.class);
    }

    @Override
    public Coder<LabelRmse> getDefaultOutputCoder(CoderRegistry registry, Coder<Prediction> input) {
      return SerializableCoder.of(LabelRmse.class);
    }
  }
}
