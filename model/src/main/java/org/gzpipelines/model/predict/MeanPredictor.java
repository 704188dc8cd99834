package org.gzpipelines.model.predict;

import java.util.Arrays;
import org.gzpipelines.model.data.HostBatch;

/** The mean-label baseline: the training-set mean of each of the 37 labels, whatever the image. */
final class MeanPredictor implements GalaxyPredictor {

  private final float[] means;

  MeanPredictor(float[] means) {
    this.means = means.clone();
  }

  @Override
  public SavedModel.Info info() {
    return new SavedModel.Info("mean-baseline", "none", 0, 0, 0, 0, Double.NaN, 0, means.clone(), null);
  }

  @Override
  public float[][] predict(HostBatch batch) {
    float[][] out = new float[batch.size()][];
    Arrays.setAll(out, i -> means.clone());
    return out;
  }

  @Override
  public void close() {}
}
