package org.gzpipelines.predict;

import org.gzpipelines.model.data.HostBatch;
import org.gzpipelines.model.predict.GalaxyPredictor;

/**
 * Test-time augmentation: the mean of a model's predictions over the 8 {@link Dihedral}
 * symmetries of each image (8x the inference cost). Also returns the plain (identity) prediction,
 * which is one of the eight, so the RMSE change TTA brings is measured in the same pass.
 */
final class TtaPredictor {

  /** Plain and augmented predictions for one batch, rows in input order. */
  record Result(float[][] plain, float[][] averaged) {}

  private final GalaxyPredictor model;

  TtaPredictor(GalaxyPredictor model) {
    this.model = model;
  }

  Result predict(HostBatch batch) {
    if (batch.height() != batch.width()) {
      throw new IllegalArgumentException("test-time augmentation needs square images, got "
          + batch.height() + "x" + batch.width() + ": re-ingest with a square crop, or drop --tta");
    }
    float[][] plain = model.predict(batch);
    float[][] sum = new float[plain.length][];
    for (int i = 0; i < plain.length; i++) {
      sum[i] = plain[i].clone();
    }
    int imageBytes = batch.height() * batch.width() * batch.channels();
    for (int k = 1; k < Dihedral.COUNT; k++) {
      byte[] pixels = new byte[batch.pixels().length];
      for (int i = 0; i < batch.size(); i++) {
        byte[] one = new byte[imageBytes];
        System.arraycopy(batch.pixels(), i * imageBytes, one, 0, imageBytes);
        System.arraycopy(Dihedral.apply(one, batch.width(), batch.channels(), k), 0, pixels, i * imageBytes, imageBytes);
      }
      float[][] p = model.predict(new HostBatch(batch.size(), batch.height(), batch.width(), batch.channels(), pixels,
          batch.labels(), batch.ids(), batch.epoch(), batch.index()));
      for (int i = 0; i < p.length; i++) {
        for (int j = 0; j < p[i].length; j++) {
          sum[i][j] += p[i][j];
        }
      }
    }
    for (float[] row : sum) {
      for (int j = 0; j < row.length; j++) {
        row[j] /= Dihedral.COUNT;
      }
    }
    return new Result(plain, sum);
  }
}
