package org.gzpipelines.predict;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.gzpipelines.model.predict.GalaxyPredictor;
import org.gzpipelines.model.predict.HostBatches;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Prediction;

/**
 * Galaxies in, {@link Prediction}s out, {@code batchSize} images per network call: galaxies are
 * buffered and predicted when the buffer is full, the rest on {@link #flush}. Not a DoFn, so that
 * a step reads (and decodes and preprocesses) galaxies inside the call that predicts them ({@link
 * PredictImages}).
 */
public final class BatchedInference {

  /** Receives each galaxy with its prediction, and its plain prediction under TTA (else null). */
  public interface Out {
    void predicted(Galaxy galaxy, Prediction prediction, Prediction plain);
  }

  private final GalaxyPredictor predictor;
  private final String modelRunId;
  private final int batchSize;
  private final boolean tta;
  private final List<Galaxy> buffer;
  /** Images per network call: far below batchSize means the calls are too small to fill batches. */
  private final Distribution batchSizes = Metrics.distribution(BatchedInference.class, "inference_batch_size");

  /** @param modelRunId recorded in every prediction (the model's run id, or its folder) */
  public BatchedInference(GalaxyPredictor predictor, String modelRunId, int batchSize, boolean tta) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
    }
    this.predictor = predictor;
    this.modelRunId = modelRunId;
    this.batchSize = batchSize;
    this.tta = tta;
    this.buffer = new ArrayList<>(batchSize);
  }

  /** Buffers {@code galaxy}; predicts the buffer into {@code out} when it is full. */
  public void add(Galaxy galaxy, Out out) {
    buffer.add(galaxy);
    if (buffer.size() >= batchSize) {
      flush(out);
    }
  }

  /** Predicts what is buffered into {@code out}. */
  public void flush(Out out) {
    if (buffer.isEmpty()) {
      return;
    }
    batchSizes.update(buffer.size());
    float[][] predicted;
    float[][] plain = null;
    if (tta) {
      TtaPredictor.Result r = new TtaPredictor(predictor).predict(HostBatches.of(buffer));
      predicted = r.averaged();
      plain = r.plain();
    } else {
      predicted = predictor.predict(buffer);
    }
    for (int i = 0; i < buffer.size(); i++) {
      Galaxy g = buffer.get(i);
      out.predicted(g, prediction(g, predicted[i]), plain == null ? null : prediction(g, plain[i]));
    }
    buffer.clear();
  }

  private Prediction prediction(Galaxy g, float[] values) {
    List<Float> p = new ArrayList<>(values.length);
    for (float v : values) {
      p.add(v);
    }
    return Prediction.newBuilder()
        .setGalaxyId(g.getGalaxyId())
        .setPredictions(p)
        .setLabels(g.getLabels())
        .setSplit(g.getSplit())
        .setModelRunId(modelRunId)
        .build();
  }
}
