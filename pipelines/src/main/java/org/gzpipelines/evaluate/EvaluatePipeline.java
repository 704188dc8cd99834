package org.gzpipelines.evaluate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * batches inside one call per unit of a few shards ({@link PredictImages}), each unit writing its
 * predictions and preselecting the galaxies the extremes figures show ({@link ExtremeSelection}):
 *
 * <pre>
 * {output}/predictions/part-*.avro        Prediction records (val and test), written by the work units ({@link UnitParts})
 * {output}/predictions-plain/part-*.avro  with --tta, the same pass's predictions without augmentation
 * {output}/extremes/ranked.json           per label: the top 5 by truth and by prediction ({@link Extremes})
 * {output}/extremes/galaxies.avro         the images of those galaxies
 * {output}/val-image-statistics/, test-image-statistics/  with a test split: each image's statistics
 *                                         for the domain-shift check ({@link ImageStatistics})
 * </pre>
 *
 * The RMSE and the scatter sample are read from the predictions by the driver ({@link
 * ValidationScores}), which also draws the figures, so workers never need the driver's disk.
 */
public final class EvaluatePipeline {

  public static final String PREDICTIONS_DIR = "predictions";
  public static final String PLAIN_PREDICTIONS_DIR = "predictions-plain";
  public static final String EXTREMES_RANKED = "extremes/ranked.json";
  public static final String EXTREMES_GALAXIES = "extremes/galaxies.avro";
  public static final String VAL_IMAGE_STATISTICS = MergersPipeline.VAL_IMAGE_STATISTICS;
  public static final String TEST_IMAGE_STATISTICS = MergersPipeline.TEST_IMAGE_STATISTICS;

  /** Galaxies shown per label and ordering. */
  public static final int EXTREMES = 5;

  private EvaluatePipeline() {}

  /** Builds the pipeline (not run) that evaluates {@code model} on {@code params.data} into {@code output}. */
  public static Pipeline build(PipelineOptions options, EvaluateParams params, ModelRef model, Path output) {
    Path data = Path.of(params.data);
    String out = output.toAbsolutePath().toString();
    int[] labels = Labels.parse(params.labels).stream().mapToInt(Answer::index).toArray();
    Pipeline p = Pipeline.create(options);

    boolean hasTest = ShardCheck.has(data, "test");
    p.apply("Validation", predict(data, "val", model, params, out, hasTest ? VAL_IMAGE_STATISTICS : null)
            .withCandidates(ExtremeSelection.preselection(labels)))
        .get(PredictImages.CANDIDATES)
        .apply("Extreme galaxies", new ExtremeSelection(labels, out));
    if (hasTest) {
      p.apply("Test", predict(data, "test", model, params, out, TEST_IMAGE_STATISTICS));
    }
    return p;
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

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One line of extremes/ranked.json. */
  public record RankedLine(String key, List<Ranked> galaxies) {}

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
