package org.gzpipelines.model.predict;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.model.config.TrainConfig;
import org.gzpipelines.model.data.HostBatch;
import org.gzpipelines.model.net.Networks;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;

/**
 * A trained DJL network behind a {@link Predictor}. Each {@link #predict} call runs in the
 * predictor's own per-call NDManager (inputs are created in the translator), so native memory does
 * not grow over many batches.
 */
final class DjlGalaxyPredictor implements GalaxyPredictor {

  private final Model model;
  private final Predictor<HostBatch, float[][]> predictor;
  private final SavedModel.Info info;

  private DjlGalaxyPredictor(Model model, SavedModel.Info info) {
    this.model = model;
    this.info = info;
    this.predictor = model.newPredictor(new BatchTranslator());
  }

  static DjlGalaxyPredictor load(Path dir, SavedModel.Info info) {
    TrainConfig config;
    try {
      config = ExperimentConfigFile.parse(Files.readString(dir.resolve(SavedModel.CONFIG_FILE)),
          dir.resolve(SavedModel.CONFIG_FILE)).section("train", TrainConfig.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + dir.resolve(SavedModel.CONFIG_FILE), e);
    }
    Model model = Model.newInstance(SavedModel.NAME, "PyTorch");
    try {
      model.setBlock(Networks.build(config));
      model.getBlock().initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32,
          new Shape(1, info.channels(), info.height(), info.width()));
      model.load(dir, SavedModel.NAME);
      return new DjlGalaxyPredictor(model, info);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      // DJL names neither the file nor the fault (an EOFException's message is null).
      throw new UserError("cannot load the model's weights " + dir.resolve(SavedModel.NAME + "-0000.params") + " ("
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "): the file is"
          + " cut short or damaged, or not of this model's network; copy or fetch the model again, or give another"
          + " --model", e);
    }
  }

  @Override
  public SavedModel.Info info() {
    return info;
  }

  @Override
  public float[][] predict(HostBatch batch) {
    if (batch.height() != info.height() || batch.width() != info.width() || batch.channels() != info.channels()) {
      throw new IllegalArgumentException("the model expects " + info.height() + "x" + info.width() + "x"
          + info.channels() + " images, got " + batch.height() + "x" + batch.width() + "x" + batch.channels());
    }
    try {
      return predictor.predict(batch);
    } catch (TranslateException e) {
      throw new IllegalStateException("prediction failed", e);
    }
  }

  @Override
  public void close() {
    predictor.close();
    model.close();
  }

  /** Whole batches in and out (no batchifier): the batch is already an N-image tensor. */
  private static final class BatchTranslator implements Translator<HostBatch, float[][]> {
    @Override
    public NDList processInput(TranslatorContext ctx, HostBatch batch) {
      return new NDList(batch.images(ctx.getNDManager()));
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList list) {
      float[] flat = list.singletonOrThrow().toFloatArray();
      int k = GalaxyZooTaxonomy.ANSWER_COUNT;
      float[][] out = new float[flat.length / k][k];
      for (int i = 0; i < out.length; i++) {
        System.arraycopy(flat, i * k, out[i], 0, k);
      }
      return out;
    }

    @Override
    public ai.djl.translate.Batchifier getBatchifier() {
      return null;
    }
  }
}
