package org.gzpipelines.mergers;

import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.gzpipelines.model.data.Preprocessing;
import org.gzpipelines.predict.ModelRef;
import org.gzpipelines.predict.PredictImages;
import org.gzpipelines.predict.UnitParts;

/**
 * The mergers pipeline: test images -> read, preprocess and predict ({@link PredictImages}) -> predictions, and,
 * in the same pipeline, inference over the labelled validation split that calibrates the merger
 * criterion, with what the driver needs besides the predictions: each image's {@link
 * ImageStatistics} for the domain-shift check, and the images of each unit's picks ({@link
 * CandidateSelection}) for the gallery. Every file is written by the work unit that made it.
 *
 * <pre>
 * {output}/test-predictions/part-*.avro
 * {output}/test-image-statistics/part-*.csv
 * {output}/candidates/part-*.avro         (Galaxy records: each unit's top candidates and some just below the threshold)
 * {output}/val-predictions/part-*.avro    (with --validation)
 * {output}/val-image-statistics/part-*.csv
 * {output}/dead-letter/part-*.avro        (raw images only: those that could not be used)
 * </pre>
 */
public final class MergersPipeline {

  public static final String TEST_PREDICTIONS = "test-predictions";
  public static final String VAL_PREDICTIONS = "val-predictions";
  public static final String TEST_IMAGE_STATISTICS = "test-image-statistics";
  public static final String VAL_IMAGE_STATISTICS = "val-image-statistics";
  public static final String CANDIDATES = "candidates";

  private MergersPipeline() {}

  /**
   * What the pipeline reads and writes.
   *
   * @param calibration labelled ingested folder whose val/ split is predicted too, or null
   * @param preprocessing how raw test images become the model's input (the model's own)
   * @param threshold the merger criterion's threshold on Class8.6 (for the candidates)
   * @param seed picks the random galaxies below the threshold
   */
  public record Inputs(ModelRef model, Path images, Path calibration, Preprocessing preprocessing, int batchSize,
      double threshold, long seed, Path out) {}

  public static Pipeline build(PipelineOptions options, Inputs in) {
    String out = in.out().toAbsolutePath().toString();
    Pipeline p = Pipeline.create(options);
    p.apply("Test images",
        PredictImages.test(in.images(), in.model(), in.preprocessing(), in.batchSize(), out,
                new UnitParts(out + "/" + TEST_PREDICTIONS, "test"))
            .withStatistics(ImageStatistics::line, new UnitParts(out + "/" + TEST_IMAGE_STATISTICS, "test"))
            .withCandidates(CandidateSelection.perUnit(in.threshold(), in.seed()),
                new UnitParts(out + "/" + CANDIDATES, "test")));
    if (in.calibration() != null) {
      p.apply("Validation", PredictImages.split(in.calibration(), "val", in.model(), in.batchSize(),
              new UnitParts(out + "/" + VAL_PREDICTIONS, "val"))
          .withStatistics(ImageStatistics::line, new UnitParts(out + "/" + VAL_IMAGE_STATISTICS, "val")));
    }
    return p;
  }
}
