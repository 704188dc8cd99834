package org.gzpipelines.mergers;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.gzpipelines.beam.CappedBatches;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.evaluate.BatchedInference;
import org.gzpipelines.evaluate.ModelRef;
import org.gzpipelines.evaluate.Predict;
import org.gzpipelines.evaluate.ReadSplit;
import org.gzpipelines.ingest.ImageInput;
import org.gzpipelines.ingest.ReadImages;
import org.gzpipelines.ingest.TestImageReader;
import org.gzpipelines.ingest.WriteDeadLetters;
import org.gzpipelines.model.data.Preprocessing;
import org.gzpipelines.model.data.ShardCheck;
import org.gzpipelines.model.predict.GalaxyPredictor;
import org.gzpipelines.schemas.DeadLetter;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Prediction;

/**
 * A trained model's predictions for unlabelled galaxies: those whose merger fraction is measured
 * ({@code gz mergers}), or those predicted for a submission ({@code gz predict}).
 *
 * <ul>
 *   <li>Raw images (a folder, .zip or .tar.gz of {@code <GalaxyID>.jpg/.jpeg/.png}): each work unit
 *       -- at most {@link #IMAGES_PER_CALL} file names ({@link CappedBatches}), or one archive --
 *       reads, preprocesses ({@link TestImageReader}, with the crop and size the model's training
 *       data was ingested with) and predicts ({@link BatchedInference}, one predictor per worker)
 *       its images inside one call, and passes on only predictions, image statistics and the few
 *       merger candidates the unit can contribute ({@link CandidateSelection.Preselection}). Why:
 *       the Direct runner holds a step's whole output until the next step runs, so images or
 *       records as a step's output were all in memory at once (61,578 raw images ran out of a 1 GB
 *       heap; docs/BENCHMARKS.md). No intermediate Avro copy is written; unreadable images and bad
 *       names go to {@code <output>/dead-letter/} as in ingest.
 *   <li>A folder gz ingest already wrote: its {@code test/} split is read and predicted ({@link
 *       Predict}).
 * </ul>
 *
 * <p>Outputs: {@link #PREDICTIONS}; with {@link #withMergerOutputs} also {@link #STATISTICS} (one
 * {@link ImageStatistics} line per image) and {@link #CANDIDATES} (pairs for {@link
 * CandidateSelection}).
 */
public final class TestImages extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<Prediction> PREDICTIONS = new TupleTag<>() {};
  static final TupleTag<String> STATISTICS = new TupleTag<>() {};
  static final TupleTag<KV<Prediction, Galaxy>> CANDIDATES = new TupleTag<>() {};
  private static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  /** Most raw image files one call reads, preprocesses and predicts: ingest's default images-per-bundle. */
  static final int IMAGES_PER_CALL = 256;

  /** What every work unit shares. @param threshold the merger criterion (with seed), or null for predictions only */
  record Spec(String modelDir, String modelRunId, int batchSize, Preprocessing preprocessing, boolean archive,
      Double threshold, long seed) implements Serializable {}

  private final Path images;
  private final ModelRef model;
  private final Preprocessing preprocessing;
  private final int batchSize;
  private final String deadLetterDir;
  private final Double threshold;
  private final long seed;

  private TestImages(Path images, ModelRef model, Preprocessing preprocessing, int batchSize, String deadLetterDir,
      Double threshold, long seed) {
    this.images = images;
    this.model = model;
    this.preprocessing = preprocessing;
    this.batchSize = batchSize;
    this.deadLetterDir = deadLetterDir;
    this.threshold = threshold;
    this.seed = seed;
  }

  /**
   * Predicts {@code images} with {@code model}; raw images are prepared as {@code preprocessing}
   * says and their dead letters written under {@code deadLetterDir}.
   */
  public static TestImages predict(Path images, ModelRef model, Preprocessing preprocessing, int batchSize,
      String deadLetterDir) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
    }
    return new TestImages(images, model, preprocessing, batchSize, deadLetterDir, null, 0);
  }

  /** Also the image statistics and the merger candidates for {@code threshold} (random ones below it by {@code seed}). */
  TestImages withMergerOutputs(double threshold, long seed) {
    return new TestImages(images, model, preprocessing, batchSize, deadLetterDir, threshold, seed);
  }

  static boolean isIngested(Path images) {
    return Files.isDirectory(images) && ShardCheck.has(images, "test");
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    if (isIngested(images)) {
      return ingested(begin);
    }
    if (!Files.exists(images)) {
      throw new UserError("--images " + images + " does not exist: give the test images (a folder, .zip or .tar.gz)"
          + " or a folder written by gz ingest");
    }
    Path path = images.toAbsolutePath();
    boolean archive = ImageInput.of(path) != ImageInput.FOLDER;
    PCollectionList<DeadLetter> dead = PCollectionList.empty(begin.getPipeline());
    PCollection<KV<Long, Iterable<String>>> units;
    if (archive) {
      // One unit: a .tar.gz cannot be split, and its entries are read as a stream, one at a time.
      units = begin.apply("Archive", Create.of(KV.<Long, Iterable<String>>of(0L, List.of(path.toString())))
          .withCoder(KvCoder.of(VarLongCoder.of(), IterableCoder.of(StringUtf8Coder.of()))));
    } else {
      PCollectionTuple names = begin.apply("Image names", ReadImages.list(path.toString()));
      dead = dead.and(names.get(ReadImages.DEAD_LETTERS));
      units = names.get(ReadImages.SOURCES).apply("Batches", CappedBatches.of(IMAGES_PER_CALL));
    }
    Spec spec = new Spec(model.modelDir().toAbsolutePath().toString(), model.label(), batchSize, preprocessing, archive,
        threshold, seed);
    TupleTagList more = threshold == null ? TupleTagList.of(DEAD_LETTERS) : TupleTagList.of(DEAD_LETTERS).and(STATISTICS).and(CANDIDATES);
    PCollectionTuple out = units.apply("ReadPreprocessPredict",
        ParDo.of(new ReadPreprocessPredictFn(spec)).withOutputTags(PREDICTIONS, more));
    out.get(PREDICTIONS).setCoder(AvroCoder.of(Prediction.class));
    out.get(DEAD_LETTERS).setCoder(AvroCoder.of(DeadLetter.class));
    dead.and(out.get(DEAD_LETTERS))
        .apply("All dead letters", Flatten.pCollections())
        .apply("Write dead letters", new WriteDeadLetters(deadLetterDir, List.of(path.toString())));
    if (threshold == null) {
      return PCollectionTuple.of(PREDICTIONS, out.get(PREDICTIONS));
    }
    out.get(STATISTICS).setCoder(StringUtf8Coder.of());
    out.get(CANDIDATES).setCoder(KvCoder.of(AvroCoder.of(Prediction.class), AvroCoder.of(Galaxy.class)));
    return PCollectionTuple.of(PREDICTIONS, out.get(PREDICTIONS)).and(STATISTICS, out.get(STATISTICS))
        .and(CANDIDATES, out.get(CANDIDATES));
  }

  private PCollectionTuple ingested(PBegin begin) {
    PCollection<Galaxy> galaxies = begin.apply("Read ingested test split", ReadSplit.of(images, "test"));
    Predict predict = Predict.with(model.modelDir(), model.label(), batchSize, false);
    if (threshold == null) {
      return PCollectionTuple.of(PREDICTIONS, galaxies.apply("Predict", predict).get(Predict.PREDICTIONS));
    }
    PCollectionTuple predicted = galaxies.apply("Predict", predict.withImages());
    return PCollectionTuple.of(PREDICTIONS, predicted.get(Predict.PREDICTIONS))
        .and(STATISTICS, WriteImageStatistics.lines(galaxies, "test"))
        .and(CANDIDATES, predicted.get(Predict.WITH_IMAGES));
  }

  /** One work unit of raw images: read, preprocess and predict each, inside this call. */
  static final class ReadPreprocessPredictFn extends DoFn<KV<Long, Iterable<String>>, Prediction> {
    private final Spec spec;
    private final TestImageReader reader;
    private transient GalaxyPredictor predictor;
    private transient BatchedInference inference;

    ReadPreprocessPredictFn(Spec spec) {
      this.spec = spec;
      this.reader = new TestImageReader(spec.preprocessing());
    }

    @Setup
    public void setup() {
      predictor = GalaxyPredictor.load(Path.of(spec.modelDir()));
      inference = new BatchedInference(predictor, spec.modelRunId(), spec.batchSize(), false);
    }

    @ProcessElement
    public void process(@Element KV<Long, Iterable<String>> unit, MultiOutputReceiver out) {
      CandidateSelection.Preselection candidates =
          spec.threshold() == null ? null : new CandidateSelection.Preselection(spec.threshold(), spec.seed());
      BatchedInference.Out predicted = (galaxy, prediction, plain) -> {
        out.get(PREDICTIONS).output(prediction);
        if (candidates != null) {
          out.get(STATISTICS).output(ImageStatistics.of(galaxy).csv());
          candidates.offer(prediction, galaxy);
        }
      };
      Consumer<Galaxy> galaxies = galaxy -> inference.add(galaxy, predicted);
      Consumer<DeadLetter> dead = out.get(DEAD_LETTERS)::output;
      for (String source : unit.getValue()) {
        if (spec.archive()) {
          reader.readArchive(source, galaxies, dead);
        } else {
          reader.read(source, galaxies, dead);
        }
      }
      inference.flush(predicted);
      if (candidates != null) {
        candidates.drainTo(out.get(CANDIDATES)::output);
      }
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
