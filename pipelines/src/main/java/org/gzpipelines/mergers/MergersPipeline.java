package org.gzpipelines.mergers;

import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.gzpipelines.model.data.Preprocessing;
import org.gzpipelines.predict.ModelRef;
import org.gzpipelines.predict.PredictImages;
import org.gzpipelines.predict.UnitParts;

/**
 * The mergers pipelines: inference over the labelled validation split that calibrates the merger
 * criterion ({@link #validation}), then test images -> read, preprocess and predict ({@link
 * PredictImages}) -> predictions ({@link #test}), each with what the driver needs besides the
 * predictions: each image's {@link ImageStatistics} for the domain-shift check, and the images of
 * each unit's picks ({@link CandidateSelection}) for the gallery. Every file is written by the work
 * unit that made it. Two pipelines, one after the other, because the test's units pick their
 * candidates at the decision threshold, which the validation predictions decide ({@link
 * MergerCriterion#breakEven}).
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
   * What the test pipeline reads and writes.
   *
   * @param preprocessing how raw test images become the model's input (the model's own)
   * @param decision the predicted Class8.6 at which the model calls a merger (for the candidates)
   * @param seed picks the random galaxies below the decision threshold
   */
  public record Inputs(ModelRef model, Path images, Preprocessing preprocessing, int batchSize, double decision,
      long seed, Path out) {}

  /** Predicts the val/ split of the labelled ingested folder {@code calibration} into {@code out}. */
  public static Pipeline validation(PipelineOptions options, ModelRef model, Path calibration, int batchSize, Path out) {
    String dir = out.toAbsolutePath().toString();
    Pipeline p = Pipeline.create(options);
    p.apply("Validation", PredictImages.split(calibration, "val", model, batchSize,
            new UnitParts(dir + "/" + VAL_PREDICTIONS, "val"))
        .withStatistics(ImageStatistics::line, new UnitParts(dir + "/" + VAL_IMAGE_STATISTICS, "val")));
    return p;
  }

  public static Pipeline test(PipelineOptions options, Inputs in) {
    String out = in.out().toAbsolutePath().toString();
    Pipeline p = Pipeline.create(options);
    p.apply("Test images",
        PredictImages.test(in.images(), in.model(), in.preprocessing(), in.batchSize(), out,
                new UnitParts(out + "/" + TEST_PREDICTIONS, "test"))
            .withStatistics(ImageStatistics::line, new UnitParts(out + "/" + TEST_IMAGE_STATISTICS, "test"))
            .withCandidates(CandidateSelection.perUnit(in.decision(), in.seed()),
                new UnitParts(out + "/" + CANDIDATES, "test")));
    return p;
  }
}
