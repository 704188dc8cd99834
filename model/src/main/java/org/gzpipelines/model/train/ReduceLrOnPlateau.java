package org.gzpipelines.model.train;

import ai.djl.training.tracker.Tracker;

/**
 * Learning rate that drops by {@code factor} after {@code patience} evaluations without an
 * improvement of the validation loss, never below {@code minLr} (Keras/PyTorch ReduceLROnPlateau,
 * "min" mode, relative threshold). DJL 0.36 has none: this class is the optimiser's {@link
 * Tracker} and is fed each validation loss by the training loop through {@link #observe}.
 */
public final class ReduceLrOnPlateau implements Tracker {

  /** What a checkpoint keeps to continue exactly. */
  public record State(float lr, double best, int badEvaluations, int reductions) {}

  private final float factor;
  private final int patience;
  private final float minLr;
  private final double threshold;
  private float lr;
  private double best = Double.POSITIVE_INFINITY;
  private int badEvaluations;
  private int reductions;

  public ReduceLrOnPlateau(float initialLr, float factor, int patience, float minLr, double threshold) {
    this.lr = initialLr;
    this.factor = factor;
    this.patience = patience;
    this.minLr = minLr;
    this.threshold = threshold;
  }

  /**
   * Records one validation loss.
   *
   * @return true where this evaluation lowered the learning rate
   */
  public boolean observe(double validationLoss) {
    if (validationLoss < best * (1 - threshold)) {
      best = validationLoss;
      badEvaluations = 0;
      return false;
    }
    badEvaluations++;
    if (badEvaluations > patience && lr > minLr) {
      lr = Math.max(minLr, lr * factor);
      badEvaluations = 0;
      reductions++;
      return true;
    }
    return false;
  }

  @Override
  public float getNewValue(int numUpdate) {
    return lr;
  }

  public float learningRate() {
    return lr;
  }

  public State state() {
    return new State(lr, best, badEvaluations, reductions);
  }

  public void restore(State s) {
    lr = s.lr();
    best = s.best();
    badEvaluations = s.badEvaluations();
    reductions = s.reductions();
  }
}
