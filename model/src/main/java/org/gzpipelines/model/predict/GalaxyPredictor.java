package org.gzpipelines.model.predict;

import java.nio.file.Path;
import java.util.List;
import org.gzpipelines.model.data.HostBatch;
import org.gzpipelines.schemas.Galaxy;

/**
 * Predicts the 37 vote fractions for galaxies with a saved model. The public API the evaluate
 * stage uses: {@code try (GalaxyPredictor p = GalaxyPredictor.load(dir)) { p.predict(batch); }}.
 */
public interface GalaxyPredictor extends AutoCloseable {

  /** Loads a model folder written by {@code gz train} ({@code model/} or {@code best-model/}). */
  static GalaxyPredictor load(Path modelDir) {
    SavedModel.Info info = SavedModel.readInfo(modelDir);
    if ("mean-baseline".equals(info.architecture())) {
      return new MeanPredictor(info);
    }
    return DjlGalaxyPredictor.load(modelDir, info);
  }

  /** What the model was trained as. */
  SavedModel.Info info();

  /** One row of 37 values per input image, in input order. */
  float[][] predict(HostBatch batch);

  /** Predicts for Galaxy records (all of one image size). */
  default float[][] predict(List<Galaxy> galaxies) {
    return predict(HostBatches.of(galaxies));
  }

  @Override
  void close();
}
