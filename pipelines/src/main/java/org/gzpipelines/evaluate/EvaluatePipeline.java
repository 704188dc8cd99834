package org.gzpipelines.evaluate;

import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.gzpipelines.mergers.ImageStatistics;
import org.gzpipelines.mergers.MergersPipeline;
import org.gzpipelines.model.data.ShardCheck;
import org.gzpipelines.predict.ModelRef;
import org.gzpipelines.predict.PredictImages;
import org.gzpipelines.predict.UnitParts;
import org.gzpipelines.taxonomy.Answer;

/**
 * The evaluate pipeline: validation (and test, where ingested) galaxies, read and predicted in
 * batches inside one call per unit of a few shards ({@link PredictImages}), each unit writing what
 * it made ({@link UnitParts}):
 *
 * <pre>
 * {output}/predictions/part-*.avro         Prediction records (val and test)
 * {output}/predictions-plain/part-*.avro   with --tta, the same pass's predictions without augmentation
 * {output}/extreme-candidates/part-*.avro  Galaxy records: the images of each unit's extremes ({@link Extremes})
 * {output}/val-image-statistics/, test-image-statistics/  with a test split: each image's statistics
 *                                          for the domain-shift check ({@link ImageStatistics})
 * </pre>
 *
 * The driver reads the RMSE, the scatter sample and the extremes from these files ({@link
 * ValidationScores}) and draws the figures, so workers never need the driver's disk.
 */
public final class EvaluatePipeline {

  public static final String PREDICTIONS_DIR = "predictions";
  public static final String PLAIN_PREDICTIONS_DIR = "predictions-plain";
  public static final String EXTREME_CANDIDATES = "extreme-candidates";
  public static final String VAL_IMAGE_STATISTICS = MergersPipeline.VAL_IMAGE_STATISTICS;
  public static final String TEST_IMAGE_STATISTICS = MergersPipeline.TEST_IMAGE_STATISTICS;

  /** Galaxies shown per label and ordering. */
  public static final int EXTREMES = 5;

  private EvaluatePipeline() {}

  /** Builds the pipeline (not run) that evaluates {@code model} on {@code params.data} into {@code output}. */
  public static Pipeline build(PipelineOptions options, EvaluateParams params, ModelRef model, Path output) {
    Path data = Path.of(params.data);
    String out = output.toAbsolutePath().toString();
    Pipeline p = Pipeline.create(options);

    boolean hasTest = splits(data).contains("test");
    p.apply("Validation", predict(data, "val", model, params, out, hasTest ? VAL_IMAGE_STATISTICS : null)
        .withCandidates(Extremes.perUnit(labels(params)), new UnitParts(out + "/" + EXTREME_CANDIDATES, "val")));
    if (hasTest) {
      p.apply("Test", predict(data, "test", model, params, out, TEST_IMAGE_STATISTICS));
    }
    return p;
  }

  /**
   * The splits of {@code data} the pipeline predicts: val, and test where there is one (its
   * predictions are compared with val's for a domain shift).
   */
  public static List<String> splits(Path data) {
    return ShardCheck.has(data, "test") ? List.of("val", "test") : List.of("val");
  }

  /** The answers (indices) whose extremes are shown. */
  static int[] labels(EvaluateParams params) {
    return Labels.parse(params.labels).stream().mapToInt(Answer::index).toArray();
  }

  /**
   * Each image of {@code split} predicted (with TTA as {@code params} says), written by its work
   * unit into {@code <out>/predictions/part-<split>-*.avro}, and with a {@code statistics} folder
   * each image's statistics there (for the domain-shift check of an unlabelled test split against
   * the validation split).
   */
  private static PredictImages predict(Path data, String split, ModelRef model, EvaluateParams params, String out,
      String statistics) {
    PredictImages predicted = PredictImages.split(data, split, model, params.batchSize,
        new UnitParts(out + "/" + PREDICTIONS_DIR, split));
    if (params.tta) {
      predicted = predicted.withTta(new UnitParts(out + "/" + PLAIN_PREDICTIONS_DIR, split));
    }
    return statistics == null ? predicted
        : predicted.withStatistics(ImageStatistics::line, new UnitParts(out + "/" + statistics, split));
  }
}
