package org.gzpipelines.evaluate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.gzpipelines.beam.MergingCombineFn;
import org.gzpipelines.ingest.PickGalaxies;
import org.gzpipelines.mergers.MergersPipeline;
import org.gzpipelines.mergers.ImageStatistics;
import org.gzpipelines.model.data.ShardCheck;
import org.gzpipelines.predict.ModelRef;
import org.gzpipelines.predict.PredictImages;
import org.gzpipelines.predict.SeededSample;
import org.gzpipelines.predict.UnitParts;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Prediction;
import org.gzpipelines.schemas.Split;
import org.gzpipelines.taxonomy.Answer;

/**
 * The evaluate pipeline: validation (and test, where ingested) galaxies, read and predicted in
 * batches inside one call per unit of a few shards ({@link PredictImages}) -> prediction records,
 * plus the small, bounded summaries the figures and metrics need:
 *
 * <pre>
 * {output}/predictions/part-*.avro   Prediction records (val and test), written by the work units ({@link UnitParts})
 * {output}/rmse.json                 overall and per-label validation RMSE (a CombineFn of sums)
 * {output}/rmse-plain.json           the same without test-time augmentation (--tta only)
 * {output}/scatter-sample.avro       a seeded sample of at most N validation predictions
 * {output}/extremes/ranked.json      per label: the top 5 by truth and by prediction ({@link Extremes})
 * {output}/extremes/galaxies.avro    the images of those galaxies (read again by id, {@link PickGalaxies})
 * {output}/val-image-statistics/, test-image-statistics/  with a test split: each image's statistics
 *                                    for the domain-shift check ({@link ImageStatistics})
 * </pre>
 *
 * The figures are drawn by the driver from these files, so workers never need the driver's disk.
 */
public final class EvaluatePipeline {

  public static final String PREDICTIONS_DIR = "predictions";
  public static final String RMSE_JSON = "rmse.json";
  public static final String RMSE_PLAIN_JSON = "rmse-plain.json";
  public static final String SCATTER_SAMPLE = "scatter-sample.avro";
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
    List<Answer> labels = Labels.parse(params.labels);
    Pipeline p = Pipeline.create(options);

    boolean hasTest = ShardCheck.has(data, "test");
    PCollectionTuple validation = p.apply("Validation",
        predict(PredictImages.split(data, "val", model, params.batchSize), params, out, "val", hasTest ? VAL_IMAGE_STATISTICS : null));
    if (hasTest) {
      p.apply("Test", predict(PredictImages.split(data, "test", model, params.batchSize), params, out, "test", TEST_IMAGE_STATISTICS));
    }

    PCollection<Prediction> labelled = validation.get(PredictImages.PREDICTIONS)
        .apply("Labelled validation", Filter.by(EvaluatePipeline::isLabelledVal));
    labelled.apply("Validation RMSE", new RmseToJson(out + "/" + RMSE_JSON));
    if (params.tta) {
      validation.get(PredictImages.PLAIN)
          .apply("Labelled validation (no TTA)", Filter.by(EvaluatePipeline::isLabelledVal))
          .apply("Validation RMSE (no TTA)", new RmseToJson(out + "/" + RMSE_PLAIN_JSON));
    }

    labelled
        .apply("Scatter sample", Top.of(params.scatterSample, new SeededSample(params.seed)))
        .apply("Sample list", Flatten.iterables())
        .apply("Write scatter sample", AvroIO.write(Prediction.class).to(out + "/" + SCATTER_SAMPLE).withoutSharding());

    int[] indices = labels.stream().mapToInt(Answer::index).toArray();
    PCollection<Extremes> extremes = labelled.apply("Extremes", Combine.globally(MergingCombineFn.of(
        () -> new Extremes(indices), Extremes::add, Extremes::merge, SerializableCoder.of(Extremes.class))));
    extremes
        .apply("Ranking as JSON", FlatMapElements.into(TypeDescriptors.strings())
            .via((Extremes e) -> e.lines().stream().map(EvaluatePipeline::json).toList()))
        .apply("Write ranking", TextIO.write().to(out + "/" + EXTREMES_RANKED).withoutSharding());
    PCollectionView<List<Long>> ids = extremes
        .apply("Extreme ids", FlatMapElements.into(TypeDescriptors.longs()).via(Extremes::ids))
        .apply("As side input", View.asList());
    p.begin()
        .apply("Extreme images", new PickGalaxies(data.toAbsolutePath().toString(), ids, "val"))
        .apply("Write extreme images",
            AvroIO.write(Galaxy.class).to(out + "/" + EXTREMES_GALAXIES).withoutSharding());
    return p;
  }

  /**
   * Each image's prediction (with TTA as {@code params} says), also written by its work unit into
   * {@code <out>/predictions/part-<split>-*.avro}, and with a {@code statistics} folder each image's
   * statistics there (for the domain-shift check of an unlabelled test split against the validation split).
   */
  private static PredictImages predict(PredictImages images, EvaluateParams params, String out, String split,
      String statistics) {
    PredictImages predicted = images.withTta(params.tta).withPredictionsWrittenTo(new UnitParts(out + "/" + PREDICTIONS_DIR, split));
    return statistics == null ? predicted
        : predicted.withStatistics(ImageStatistics::line, new UnitParts(out + "/" + statistics, split));
  }

  static boolean isLabelledVal(Prediction p) {
    return p.getSplit() == Split.VAL && p.getLabels() != null;
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

  /** Combines the RMSE and writes it as one JSON file. */
  static final class RmseToJson extends PTransform<PCollection<Prediction>, PDone> {
    private final String file;

    RmseToJson(String file) {
      this.file = file;
    }

    @Override
    public PDone expand(PCollection<Prediction> predictions) {
      return predictions
          .apply("Squared-error sums", Combine.globally(LabelRmse.combineFn()))
          .apply("As JSON", MapElements.into(TypeDescriptors.strings()).via(EvaluatePipeline::json))
          .apply("Write", TextIO.write().to(file).withoutSharding());
    }
  }
}
