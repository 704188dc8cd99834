package org.gzpipelines.mergers;

import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.gzpipelines.evaluate.ModelRef;
import org.gzpipelines.evaluate.Predict;
import org.gzpipelines.evaluate.ReadSplit;
import org.gzpipelines.ingest.PreprocessParams;
import org.gzpipelines.model.data.Preprocessing;
import org.gzpipelines.schemas.Prediction;

/**
 * The mergers pipeline: test images -> (ingest transforms) -> batch inference -> predictions, and,
 * in the same pipeline, inference over the labelled validation split that calibrates the merger
 * criterion:
 *
 * <pre>
 * {output}/test-predictions/part-*.avro
 * {output}/val-predictions/part-*.avro    (with --validation)
 * {output}/dead-letter/part-*.avro        (raw images only: those that could not be used)
 * </pre>
 */
public final class MergersPipeline {

  public static final String TEST_PREDICTIONS = "test-predictions";
  public static final String VAL_PREDICTIONS = "val-predictions";

  private MergersPipeline() {}

  /**
   * What the pipeline reads and writes.
   *
   * @param calibration labelled ingested folder whose val/ split is predicted too, or null
   * @param preprocessing how raw test images become the model's input (the model's own)
   */
  public record Inputs(ModelRef model, Path images, Path calibration, Preprocessing preprocessing, int batchSize,
      Path out) {}

  public static Pipeline build(PipelineOptions options, Inputs in) {
    String out = in.out().toAbsolutePath().toString();
    Path model = in.model().modelDir();
    String label = in.model().label();
    Pipeline p = Pipeline.create(options);
    int buckets = 4 * Math.max(1, Runtime.getRuntime().availableProcessors());
    p.apply("Test images", new TestImages(in.images(), PreprocessParams.imageOnly(in.preprocessing()), out, buckets))
        .apply("Predict test", Predict.with(model, label, in.batchSize(), false))
        .get(Predict.PREDICTIONS)
        .apply("Write test predictions",
            AvroIO.write(Prediction.class).to(out + "/" + TEST_PREDICTIONS + "/part").withSuffix(".avro"));
    if (in.calibration() != null) {
      p.apply("Read validation", ReadSplit.of(in.calibration(), "val"))
          .apply("Predict validation", Predict.with(model, label, in.batchSize(), false))
          .get(Predict.PREDICTIONS)
          .apply("Write validation predictions",
              AvroIO.write(Prediction.class).to(out + "/" + VAL_PREDICTIONS + "/part").withSuffix(".avro"));
    }
    return p;
  }
}
