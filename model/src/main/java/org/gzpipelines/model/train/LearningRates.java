package org.gzpipelines.model.train;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.gzpipelines.model.config.TrainConfig;

/** Builds the optimiser and its learning-rate schedule from the config (public for bench/FidelityStreams.java). */
public final class LearningRates {

  private LearningRates() {}

  /**
   * @param totalSteps optimiser steps in the whole budget (for the cosine schedule)
   */
  public static Tracker schedule(TrainConfig c, long totalSteps) {
    float lr = c.optimizer.lr;
    return switch (c.schedule.name) {
      case "reduce-on-plateau" ->
          new ReduceLrOnPlateau(lr, c.schedule.factor, c.schedule.patience, c.schedule.minLr, c.schedule.threshold);
      case "cosine" -> Tracker.cosine()
          .setBaseValue(lr)
          .optFinalValue(c.schedule.minLr)
          .setMaxUpdates((int) Math.max(1, Math.min(Integer.MAX_VALUE, totalSteps)))
          .build();
      default -> Tracker.fixed(lr);
    };
  }

  public static Optimizer optimizer(TrainConfig c, Tracker lr) {
    if ("sgd".equals(c.optimizer.name)) {
      return Optimizer.sgd()
          .setLearningRateTracker(lr)
          .optMomentum(c.optimizer.momentum)
          .optWeightDecays(c.optimizer.weightDecay)
          .build();
    }
    return new PyTorchAdam(lr, c.optimizer.weightDecay);
  }
}
