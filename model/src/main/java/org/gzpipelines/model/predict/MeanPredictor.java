package org.gzpipelines.model.predict;

import java.util.Arrays;
import org.gzpipelines.model.data.HostBatch;

/** The mean-label baseline: the training-set mean of each of the 37 labels, whatever the image. */
final class MeanPredictor implements GalaxyPredictor {

  private final SavedModel.Info info;
  private final float[] means;

  /**
   * @param info the saved model's, kept whole: its image size and preprocessing say how stages that
   *     read original images (real-sample, mergers, predict) prepare them, even for a model that
   *     ignores them
   */
  MeanPredictor(SavedModel.Info info) {
    this.info = info;
    this.means = info.means().clone();
  }

  @Override
  public SavedModel.Info info() {
    return info;
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
