package org.gzpipelines.model.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adam as {@code torch.optim.Adam} computes it (betas 0.9/0.999, eps 1e-8, L2 weight decay added to
 * the gradient), so that a model trained by gz takes the steps the same model takes in PyTorch.
 *
 * <p>DJL's own {@code Adam} adds eps to the uncorrected sqrt(v) where PyTorch adds it to the
 * bias-corrected sqrt(v / (1 - beta2^t)): in PyTorch's terms its eps is eps / sqrt(1 - beta2^t),
 * 32 times larger at the first step, 10 times at the tenth, which damps the updates of weights with
 * small gradients. {@code bench/fidelity.sh --steps} showed it: same weights, batches and dropout
 * masks, and the losses parted by ~1e-3 from the second step on (docs/BENCHMARKS.md, "Fidelity to
 * PyTorch"). This runs DJL's native Adam kernel with eps * sqrt(1 - beta2^t), which is PyTorch's update.
 *
 * <p>The moments live in {@code means} and {@code variances}, the field names of DJL's Adam, which
 * {@link Checkpoint} saves and restores (checkpoints written with DJL's Adam still resume).
 */
final class PyTorchAdam extends Optimizer {

  static final float BETA1 = 0.9f;
  static final float BETA2 = 0.999f;
  static final float EPSILON = 1e-8f;

  private final ParameterTracker learningRate;
  private final Map<String, Map<Device, NDArray>> means = new ConcurrentHashMap<>();
  private final Map<String, Map<Device, NDArray>> variances = new ConcurrentHashMap<>();

  PyTorchAdam(ParameterTracker learningRate, float weightDecay) {
    super(new Builder().optWeightDecays(weightDecay));
    this.learningRate = learningRate;
  }

  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    int t = updateCount(parameterId);
    double corrected1 = 1 - Math.pow(BETA1, t);
    double corrected2 = 1 - Math.pow(BETA2, t);
    float lr = learningRate.getNewValue(parameterId, t);
    // The kernel: w -= lrCorrected * m / (sqrt(v) + eps'), with m and v uncorrected.
    float lrCorrected = (float) (lr * Math.sqrt(corrected2) / corrected1);
    float eps = (float) (EPSILON * Math.sqrt(corrected2));
    NDList inputs = new NDList(weight, grad,
        withDefaultState(means, parameterId, weight.getDevice(), k -> weight.zerosLike()),
        withDefaultState(variances, parameterId, weight.getDevice(), k -> weight.zerosLike()));
    weight.getNDArrayInternal().adamUpdate(inputs, new NDList(weight), lr, lrCorrected, getWeightDecay(), rescaleGrad,
        clipGrad, BETA1, BETA2, eps, true, false);
  }

  private static final class Builder extends OptimizerBuilder<Builder> {
    @Override
    protected Builder self() {
      return this;
    }
  }
}
