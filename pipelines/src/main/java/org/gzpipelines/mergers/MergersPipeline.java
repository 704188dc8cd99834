package org.gzpipelines.mergers;

import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.gzpipelines.evaluate.Predict;
import org.gzpipelines.evaluate.ReadSplit;
import org.gzpipelines.ingest.PreprocessParams;
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

  public static Pipeline build(MergersOptions o) {
    String out = Path.of(o.getOutput()).toAbsolutePath().toString();
    Path model = Path.of(o.getModelDir());
    Pipeline p = Pipeline.create(o);
    PreprocessParams params = new PreprocessParams(o.getExpectedSize(), o.getCropSize(), o.getOutputSize(), 0, 0);
    int buckets = 4 * Math.max(1, Runtime.getRuntime().availableProcessors());
    p.apply("Test images", new TestImages(Path.of(o.getImages()), params, out, buckets))
        .apply("Predict test", Predict.with(model, o.getModelRunId(), o.getBatchSize(), false))
        .get(Predict.PREDICTIONS)
        .apply("Write test predictions",
            AvroIO.write(Prediction.class).to(out + "/" + TEST_PREDICTIONS + "/part").withSuffix(".avro"));
    if (!o.getValidation().isEmpty()) {
      p.apply("Read validation", ReadSplit.of(Path.of(o.getValidation()), "val"))
          .apply("Predict validation", Predict.with(model, o.getModelRunId(), o.getBatchSize(), false))
          .get(Predict.PREDICTIONS)
          .apply("Write validation predictions",
              AvroIO.write(Prediction.class).to(out + "/" + VAL_PREDICTIONS + "/part").withSuffix(".avro"));
    }
    return p;
  }

  public static PipelineResult.State run(MergersOptions o) {
    return build(o).run().waitUntilFinish();
  }
}
