package org.gzpipelines.evaluate;

import java.util.List;
import org.gzpipelines.schemas.Prediction;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.gzpipelines.taxonomy.Question;

/**
 * RMSE over all 37 outputs (the Kaggle metric), per label and per question, for predictions with known labels.
 *
 * @param galaxies how many labelled predictions were scored
 * @param rmse sqrt of the mean squared error over galaxies and all 37 outputs
 * @param perLabel sqrt of the mean squared error of each output, Kaggle order
 */
public record LabelRmse(long galaxies, double rmse, double[] perLabel) {

  /**
   * The RMSE over one question's answers (Class1 for Class1.1-1.3): which part of the tree a model
   * gets wrong, where 37 per-answer numbers are too many to read and one overall number too few.
   */
  public double rmse(Question question) {
    double squared = 0;
    for (int j = question.firstIndex(); j < question.firstIndex() + question.size(); j++) {
      squared += perLabel[j] * perLabel[j];
    }
    return Math.sqrt(squared / question.size());
  }

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
