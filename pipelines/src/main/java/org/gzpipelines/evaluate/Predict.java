package org.gzpipelines.evaluate;

import java.nio.file.Path;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.gzpipelines.model.predict.GalaxyPredictor;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Prediction;

/**
 * Batch inference: Galaxy records in, one {@link Prediction} each out (with the true labels
 * carried along where the input had them).
 *
 * <p>The model is loaded once per DoFn instance ({@code @Setup}) and closed in {@code @Teardown};
 * elements are predicted {@code batchSize} at a time ({@link BatchedInference}), the rest flushed at
 * the end of each bundle, so the network always sees batches and never single images. With test-time
 * augmentation {@link #PREDICTIONS} holds the mean over the 8 symmetries and {@link #PLAIN} the
 * plain predictions of the same pass (empty without TTA). {@link #withImages()} adds {@link
 * #WITH_IMAGES}: each prediction with the galaxy it was made from, so a stage can pick galaxies by
 * their prediction and still show their pixels without a side input (a main input waiting for a
 * side input is held in memory by the Direct runner until the side input is complete).
 */
public final class Predict extends PTransform<PCollection<Galaxy>, PCollectionTuple> {

  public static final TupleTag<Prediction> PREDICTIONS = new TupleTag<>() {};
  public static final TupleTag<Prediction> PLAIN = new TupleTag<>() {};
  public static final TupleTag<KV<Prediction, Galaxy>> WITH_IMAGES = new TupleTag<>() {};

  private final String modelDir;
  private final String modelRunId;
  private final int batchSize;
  private final boolean tta;
  private final boolean images;

  private Predict(String modelDir, String modelRunId, int batchSize, boolean tta, boolean images) {
    this.modelDir = modelDir;
    this.modelRunId = modelRunId;
    this.batchSize = batchSize;
    this.tta = tta;
    this.images = images;
  }

  /** @param modelRunId recorded in every prediction (the model's run id, or its folder) */
  public static Predict with(Path modelDir, String modelRunId, int batchSize, boolean tta) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
    }
    return new Predict(modelDir.toAbsolutePath().toString(), modelRunId, batchSize, tta, false);
  }

  /** The same inference, also filling {@link #WITH_IMAGES}. */
  public Predict withImages() {
    return new Predict(modelDir, modelRunId, batchSize, tta, true);
  }

  @Override
  public PCollectionTuple expand(PCollection<Galaxy> galaxies) {
    PCollectionTuple out = galaxies.apply("Infer in batches",
        ParDo.of(new BatchPredictFn(modelDir, modelRunId, batchSize, tta, images))
            .withOutputTags(PREDICTIONS, TupleTagList.of(PLAIN).and(WITH_IMAGES)));
    out.get(PREDICTIONS).setCoder(AvroCoder.of(Prediction.class));
    out.get(PLAIN).setCoder(AvroCoder.of(Prediction.class));
    out.get(WITH_IMAGES).setCoder(KvCoder.of(AvroCoder.of(Prediction.class), AvroCoder.of(Galaxy.class)));
    return out;
  }

  static final class BatchPredictFn extends DoFn<Galaxy, Prediction> {
    private final String modelDir;
    private final String modelRunId;
    private final int batchSize;
    private final boolean tta;
    private final boolean images;
    private transient GalaxyPredictor predictor;
    private transient BatchedInference inference;

    BatchPredictFn(String modelDir, String modelRunId, int batchSize, boolean tta, boolean images) {
      this.modelDir = modelDir;
      this.modelRunId = modelRunId;
      this.batchSize = batchSize;
      this.tta = tta;
      this.images = images;
    }

    /** Where predicted galaxies go: the element's receiver, or at the bundle's end its context. */
    private interface Sink {
      <T> void output(TupleTag<T> tag, T value);
    }

    @Setup
    public void setup() {
      predictor = GalaxyPredictor.load(Path.of(modelDir));
      inference = new BatchedInference(predictor, modelRunId, batchSize, tta);
    }

    @ProcessElement
    public void process(@Element Galaxy galaxy, MultiOutputReceiver out) {
      inference.add(galaxy, to(new Sink() {
        @Override
        public <T> void output(TupleTag<T> tag, T value) {
          out.get(tag).output(value);
        }
      }));
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      // Inputs come from bounded files in the global window at the minimum timestamp.
      inference.flush(to(new Sink() {
        @Override
        public <T> void output(TupleTag<T> tag, T value) {
          context.output(tag, value, BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
        }
      }));
    }

    private BatchedInference.Out to(Sink sink) {
      return (g, p, plain) -> {
        sink.output(PREDICTIONS, p);
        if (images) {
          sink.output(WITH_IMAGES, KV.of(p, g));
        }
        if (plain != null) {
          sink.output(PLAIN, plain);
        }
      };
    }

    @Teardown
    public void teardown() {
      if (predictor != null) {
        predictor.close();
        predictor = null;
      }
    }
  }
}
