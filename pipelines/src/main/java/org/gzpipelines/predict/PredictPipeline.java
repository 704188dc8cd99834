package org.gzpipelines.predict;

import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.gzpipelines.model.data.Preprocessing;

/**
 * The predict pipeline: images -> read, preprocess (the model's preprocessing) and predict in one
 * call per work unit ({@link PredictImages}) -> Prediction records, the same steps as the mergers
 * pipeline's test half.
 *
 * <pre>
 * {work}/predictions/part-*.avro   one Prediction per usable image
 * {work}/dead-letter/part-*.avro   raw images only: those that could not be used
 * </pre>
 */
public final class PredictPipeline {

  public static final String PREDICTIONS = "predictions";

  private PredictPipeline() {}

  /**
   * @param preprocessing how raw images become the model's input (the model's own)
   * @param work folder the pipeline writes into; the stage turns it into the CSV
   */
  public record Inputs(ModelRef model, Path images, Preprocessing preprocessing, int batchSize, Path work) {}

  public static Pipeline build(PipelineOptions options, Inputs in) {
    String work = in.work().toAbsolutePath().toString();
    Pipeline p = Pipeline.create(options);
    p.apply("Images", PredictImages.test(in.images(), in.model(), in.preprocessing(), in.batchSize(), work,
        new UnitParts(work + "/" + PREDICTIONS, "images")));
    return p;
  }
}
