package org.gzpipelines.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Test;

/** gz's Adam takes torch.optim.Adam's steps, on the PyTorch engine, where DJL's own Adam does not. */
class PyTorchAdamTest {

  static final float LR = 1e-3f;
  /** Gradients from far below eps / sqrt(1 - beta2) (3e-7, where the two eps placements differ) to 1. */
  static final float[] GRADIENTS = {1e-7f, -1e-5f, 1e-3f, -1f};
  static final int STEPS = 5;

  @Test
  void stepsAreTorchOptimAdams() {
    float[] torch = torchAdam();
    float[] gz = run(new PyTorchAdam(Tracker.fixed(LR), 0f));
    for (int i = 0; i < GRADIENTS.length; i++) {
      assertEquals(torch[i], gz[i], 1e-5 * Math.abs(torch[i]), "weight " + i + " (gradient " + GRADIENTS[i] + ")");
    }
    // DJL's Adam puts eps on the uncorrected sqrt(v): at a gradient of 1e-7 its steps are ~3x smaller.
    float[] djl = run(Optimizer.adam().optLearningRateTracker(Tracker.fixed(LR)).build());
    assertTrue(Math.abs(djl[0]) < 0.5 * Math.abs(torch[0]), "DJL " + djl[0] + " vs torch " + torch[0]);
  }

  /** torch.optim.Adam's update (PyTorch 2.7 docs), in double: weights after STEPS steps from 0. */
  static float[] torchAdam() {
    float[] w = new float[GRADIENTS.length];
    for (int i = 0; i < w.length; i++) {
      double g = GRADIENTS[i];
      double m = 0;
      double v = 0;
      double x = 0;
      for (int t = 1; t <= STEPS; t++) {
        m = PyTorchAdam.BETA1 * m + (1 - PyTorchAdam.BETA1) * g;
        v = PyTorchAdam.BETA2 * v + (1 - PyTorchAdam.BETA2) * g * g;
        double mHat = m / (1 - Math.pow(PyTorchAdam.BETA1, t));
        double vHat = v / (1 - Math.pow(PyTorchAdam.BETA2, t));
        x -= LR * mHat / (Math.sqrt(vHat) + PyTorchAdam.EPSILON);
      }
      w[i] = (float) x;
    }
    return w;
  }

  /** Weights from 0 after STEPS real backward passes of sum(w * GRADIENTS) and optimiser updates. */
  static float[] run(Optimizer optimizer) {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray w = manager.zeros(new Shape(GRADIENTS.length));
      w.setRequiresGradient(true);
      NDArray g = manager.create(GRADIENTS);
      for (int t = 0; t < STEPS; t++) {
        try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
          gc.backward(w.mul(g).sum());
        }
        optimizer.update("w", w, w.getGradient());
      }
      return w.toFloatArray();
    }
  }
}
