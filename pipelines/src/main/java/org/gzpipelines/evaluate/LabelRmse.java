package org.gzpipelines.evaluate;

import java.util.List;
import org.gzpipelines.schemas.Prediction;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;

/**
 * RMSE over all 37 outputs (the Kaggle metric) and per label, for predictions with known labels.
 *
 * @param galaxies how many labelled predictions were scored
 * @param rmse sqrt of the mean squared error over galaxies and all 37 outputs
 * @param perLabel sqrt of the mean squared error of each output, Kaggle order
 */
public record LabelRmse(long galaxies, double rmse, double[] perLabel) {

  /** Per-label sums of squared errors and the number of galaxies: bounded state whatever the data size. */
  static final class Sums {
    private final double[] squaredErrors = new double[GalaxyZooTaxonomy.ANSWER_COUNT];
    private long galaxies;

    /** Adds a labelled prediction's squared errors (callers pick labelled validation galaxies). */
    void add(Prediction p) {
      List<Float> labels = p.getLabels();
      List<Float> predicted = p.getPredictions();
      for (int j = 0; j < GalaxyZooTaxonomy.ANSWER_COUNT; j++) {
        double d = predicted.get(j) - labels.get(j);
        squaredErrors[j] += d * d;
      }
      galaxies++;
    }

    LabelRmse rmse() {
      double[] perLabel = new double[GalaxyZooTaxonomy.ANSWER_COUNT];
      double total = 0;
      for (int j = 0; j < perLabel.length; j++) {
        perLabel[j] = Math.sqrt(squaredErrors[j] / galaxies);
        total += squaredErrors[j];
      }
      return new LabelRmse(galaxies, Math.sqrt(total / ((double) galaxies * perLabel.length)), perLabel);
    }
  }
}
