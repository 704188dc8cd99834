package org.gzpipelines.predict;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;
import org.gzpipelines.beam.NameBatches;
import org.gzpipelines.beam.SortedBatches;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.ingest.ImageInput;
import org.gzpipelines.ingest.ReadImages;
import org.gzpipelines.ingest.TestImageReader;
import org.gzpipelines.ingest.WriteDeadLetters;
import org.gzpipelines.model.data.Manifest;
import org.gzpipelines.model.data.Preprocessing;
import org.gzpipelines.model.data.ShardCheck;
import org.gzpipelines.model.predict.GalaxyPredictor;
import org.gzpipelines.run.PipelineProgress;
import org.gzpipelines.schemas.DeadLetter;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Prediction;

/**
 * A trained model's predictions for galaxies, read and predicted inside one call per work unit:
 * the test images whose merger fraction is measured ({@code gz mergers}) or that are predicted for
 * a submission ({@code gz predict}), and the splits of an ingested folder that {@code gz evaluate}
 * scores and that calibrate the merger criterion.
 *
 * <ul>
 *   <li>Raw images (a folder, .zip or .tar.gz of {@code <GalaxyID>.jpg/.jpeg/.png}): a work unit is
 *       about {@link #IMAGES_PER_CALL} file names ({@link NameBatches}: a unit re-run after a failover
 *       has the same names and replaces its own files) or one archive; each
 *       image is read and preprocessed ({@link TestImageReader}, with the crop and size the model's
 *       training data was ingested with). Unreadable images and bad names go to {@code
 *       <deadLetterDir>/dead-letter/} as in ingest.
 *   <li>A split of a folder gz ingest wrote (its {@code test/} split when {@code --images} names
 *       such a folder): a work unit is a few shards (up to {@link #IMAGES_PER_CALL} records), their
 *       records streamed from the files.
 * </ul>
 *
 * Each unit's galaxies are predicted in batches ({@link BatchedInference}, one predictor per
 * worker). The unit writes its predictions itself ({@link UnitParts}), with {@link
 * #withStatistics} a line of statistics per image, and with {@link #withCandidates} the images of
 * the few galaxies it can contribute to a report ({@link PickedImages}); only dead letters leave
 * the call as elements.
 *
 * <p>Why: the Direct runner holds a step's whole output until the next step runs, so images or
 * records as a step's output were all in memory at once (61,578 raw images ran out of a 1 GB
 * heap); records read with {@code AvroIO.read} travel in bundles of about a hundred, each of which
 * costs every later step its fixed per-bundle work (gz evaluate ran at 12x the bare predictor's
 * time); and every prediction passed on to a summary step cost that step's per-bundle and
 * per-element work again, and the steps that picked a report's galaxies cost a second or more of
 * the runner's fixed work (gz evaluate at 1.4-2.3x; docs/BENCHMARKS.md, "Full scale"). The stages
 * summarise the written files on the driver instead.
 */
public final class PredictImages extends PTransform<PBegin, PDone> {

  /** The Beam counter of the galaxies predicted so far: progress on the console (Flink: the total, at the end). */
  static final String PREDICTED_COUNTER_NAMESPACE = "predict";
  static final String PREDICTED_COUNTER = "images";

  /**
   * Most images one call reads, preprocesses and predicts. Why this many: the Direct runner pays a
   * fixed cost for every bundle in every step (it translates each ParDo again per bundle), and each
   * work unit is a bundle: with units of 256 images gz predict took 1.45-1.62x the bare predictor's
   * time on the demo's network, with 1,024 it took 1.0-1.13x (docs/BENCHMARKS.md, "Full scale";
   * then the predictions still passed through later steps). Each unit also writes one file per
   * output. A unit holds only its batch and its candidates, and 79,975 images still make 79 units
   * for the workers to share.
   */
  static final int IMAGES_PER_CALL = 1024;

  /** Each image's line of statistics ({@code line}) and where each work unit writes its lines. */
  record Statistics(SerializableFunction<Galaxy, String> line, UnitParts into) implements Serializable {}

  /** Each work unit's {@link Picks} and where it writes the images of its picks. */
  record Kept(Picks.PerUnit perUnit, UnitParts into) implements Serializable {}

  /** What a work unit's sources are. */
  enum Source { FILES, ARCHIVE, SHARDS }

  /**
   * What every work unit shares.
   *
   * @param statistics each image's line of statistics and where it goes, or null for none
   * @param candidates each unit's candidates and where they go, or null for none
   * @param parts where each unit writes its predictions
   * @param plain under test-time augmentation, where each unit writes its plain predictions; null for no augmentation
   */
  record Spec(String modelDir, String modelRunId, int batchSize, Preprocessing preprocessing, Source source,
      Statistics statistics, Kept candidates, UnitParts parts, UnitParts plain) implements Serializable {}

  private final Path images;
  /** The shards of the ingested split to predict (checked), grouped into work units; null for raw images. */
  private final List<List<String>> shards;
  private final ModelRef model;
  private final Preprocessing preprocessing;
  private final int batchSize;
  private final String deadLetterDir;
  private final UnitParts parts;
  private final UnitParts plain;
  private final Statistics statistics;
  private final Kept candidates;

  private PredictImages(Path images, List<List<String>> shards, ModelRef model, Preprocessing preprocessing, int batchSize,
      String deadLetterDir, UnitParts parts, UnitParts plain, Statistics statistics, Kept candidates) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
    }
    this.images = images;
    this.shards = shards;
    this.model = model;
    this.preprocessing = preprocessing;
    this.batchSize = batchSize;
    this.deadLetterDir = deadLetterDir;
    this.parts = parts;
    this.plain = plain;
    this.statistics = statistics;
    this.candidates = candidates;
  }

  /**
   * Predicts the test images {@code images} (raw images, or the test split of a folder gz ingest
   * wrote) with {@code model}; raw images are prepared as {@code preprocessing} says and their dead
   * letters written under {@code deadLetterDir}; each work unit writes its predictions into {@code parts}.
   */
  public static PredictImages test(Path images, ModelRef model, Preprocessing preprocessing, int batchSize,
      String deadLetterDir, UnitParts parts) {
    List<List<String>> shards = null;
    if (isIngested(images)) {
      checkIngestedFor(images, preprocessing);
      shards = shardUnits(images, "test");
    }
    return new PredictImages(images, shards, model, preprocessing, batchSize, deadLetterDir, parts, null, null, null);
  }

  /**
   * Predicts the records of {@code split} of the ingested folder {@code data}, once {@link
   * ShardCheck} has found its shards as ingest wrote them; each work unit writes its predictions
   * into {@code parts}.
   *
   * @throws UserError naming a missing, truncated or changed shard and the fix
   */
  public static PredictImages split(Path data, String split, ModelRef model, int batchSize, UnitParts parts) {
    return new PredictImages(data, shardUnits(data, split), model, null, batchSize, null, parts, null, null, null);
  }

  /**
   * Predicts the mean over the 8 symmetries (test-time augmentation), and writes the plain
   * predictions of the same pass into {@code plain}.
   */
  public PredictImages withTta(UnitParts plain) {
    return new PredictImages(images, shards, model, preprocessing, batchSize, deadLetterDir, parts, plain, statistics,
        candidates);
  }

  /** Also writes {@code line} of each image into {@code into} (the domain-shift check's image statistics). */
  public PredictImages withStatistics(SerializableFunction<Galaxy, String> line, UnitParts into) {
    return new PredictImages(images, shards, model, preprocessing, batchSize, deadLetterDir, parts, plain,
        new Statistics(line, into), candidates);
  }

  /** Also writes the images of each unit's {@code perUnit} picks (the galaxies a report shows) into {@code into}. */
  public PredictImages withCandidates(Picks.PerUnit perUnit, UnitParts into) {
    return new PredictImages(images, shards, model, preprocessing, batchSize, deadLetterDir, parts, plain, statistics,
        new Kept(perUnit, into));
  }

  /** The shards of {@code split}, checked, in groups of at most {@link #IMAGES_PER_CALL} records (or one shard). */
  private static List<List<String>> shardUnits(Path data, String split) {
    return ShardCheck.split(data, split).groups(IMAGES_PER_CALL).stream()
        .map(group -> group.stream().map(shard -> shard.toAbsolutePath().toString()).toList())
        .toList();
  }

  /**
   * Refuses an ingested folder whose images were made otherwise than the model's training images
   * (another stored size or field of view): predicted, they would give numbers without meaning.
   */
  private static void checkIngestedFor(Path images, Preprocessing model) {
    Preprocessing stored;
    try {
      stored = Manifest.read(images).parameters().preprocessing();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the manifest of " + images, e);
    }
    String why = stored.mismatch(model);
    if (why != null) {
      int side = stored.expectedSize();
      throw new UserError("--images " + images + " was ingested otherwise than the model's training images: " + why
          + "; ingest the images again with --output-size " + model.outputSize()
          + (side == 0 ? "" : " --expected-size " + side + " --crop-size " + model.cropFor(side)));
    }
  }

  /** Whether {@code images} is a folder gz ingest wrote (its test/ shards), not raw images. */
  public static boolean isIngested(Path images) {
    return Files.isDirectory(images) && ShardCheck.has(images, "test");
  }

  /**
   * Refuses, before a run is created, test images ({@code --images}) that do not exist, and a
   * folder that holds no image: other files are skipped, so a wrong folder would otherwise give an
   * empty result. An archive's entries are listed when it is read.
   *
   * @return a notice naming images in formats gz does not read, which will be left out
   *     ({@link ImageInput#unreadImagesNotice}), for the caller to print once
   */
  public static Optional<String> checkTestImages(Path images) {
    refuseUnusable(images);
    try {
      return isIngested(images) ? Optional.empty() : ImageInput.unreadImagesNotice(images);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + images, e);
    }
  }

  /** The refusals of {@link #checkTestImages}, without its notice (a second walk of the whole tree). */
  private static void refuseUnusable(Path images) {
    String expected = "give " + ImageInput.IMAGE_FILES + " in a folder (searched recursively), a .zip or a .tar.gz,"
        + " or a folder written by gz ingest";
    if (!Files.exists(images)) {
      throw new UserError("--images " + images + " does not exist: " + expected);
    }
    if (!Files.isDirectory(images)) {
      try {
        ImageInput.of(images);
      } catch (IllegalArgumentException notAnArchive) {
        String name = images.getFileName().toString().toLowerCase(Locale.ROOT);
        throw new UserError("--images " + images + " is neither a folder nor an archive: " + expected
            + (name.endsWith(".csv") || name.endsWith(".txt") || name.endsWith(".fits")
                ? ". A table of galaxies is not their images: make 424x424-pixel JPEG cutouts named <GalaxyID>.jpg"
                    + " first (docs/USER-GUIDE.md, section 1: 0.02 x petroR90_r arcsec per pixel)" : ""));
      }
    }
    if (Files.isDirectory(images) && !isIngested(images) && Files.isRegularFile(images.resolve(Manifest.FILE_NAME))) {
      // Otherwise its folder is searched as raw images, and its explore figures are refused one by one.
      throw new UserError("--images " + images + " is a folder gz ingest wrote without a test/ split (it ingested"
          + " labelled images into train/ and val/): give the test images themselves (a folder or archive, e.g."
          + " images_test_rev1.zip), or a folder that gz ingest --images <test images> --out <folder> wrote;"
          + " gz evaluate --model <model> --data " + images + " predicts its val split");
    }
    try {
      if (Files.isDirectory(images) && !isIngested(images) && !ImageInput.hasImages(images)) {
        throw new UserError("--images " + images + " holds no images: " + expected + ImageInput.noImagesHints(images));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + images, e);
    }
  }

  /**
   * The progress of a pipeline that predicts {@code images} with {@link #test}, drawn on {@code out}:
   * out of a folder's images or an ingested folder's test records; null for an archive, which is
   * read as one stream (its entries are not counted beforehand).
   */
  public static PipelineProgress testProgress(Path images, PrintStream out) {
    if (isIngested(images)) {
      return splitProgress(images, List.of("test"), out);
    } else if (ImageInput.of(images.toAbsolutePath()) == ImageInput.FOLDER) {
      // A second walk of the tree: 0.3-0.5 s for 79,975 files.
      return new PipelineProgress(PREDICTED_COUNTER_NAMESPACE, PREDICTED_COUNTER, imageCount(images), out);
    } else {
      return null;
    }
  }

  /**
   * The progress of a pipeline that predicts {@code splits} of the ingested folder {@code data} with
   * {@link #split}, drawn on {@code out}: out of their records in its manifest.
   */
  public static PipelineProgress splitProgress(Path data, List<String> splits, PrintStream out) {
    Map<String, Long> records;
    try {
      records = Manifest.read(data).records();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the manifest of " + data, e);
    }
    long total = splits.stream().mapToLong(split -> records.getOrDefault(split.toUpperCase(Locale.ROOT), 0L)).sum();
    return new PipelineProgress(PREDICTED_COUNTER_NAMESPACE, PREDICTED_COUNTER, total, out);
  }

  /** How many images the folder's tree holds: how many work units they make. */
  private static long imageCount(Path folder) {
    try {
      return ImageInput.count(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
  }

  @Override
  public PDone expand(PBegin begin) {
    PCollectionList<DeadLetter> dead = PCollectionList.empty(begin.getPipeline());
    PCollection<KV<Long, Iterable<String>>> units;
    Source source;
    if (shards != null) {
      source = Source.SHARDS;
      // Keyed by unit and grouped: the Direct runner makes each group its own bundle, so the
      // workers share the units (a Create alone may hand them all to one worker).
      List<KV<Long, String>> keyed = new ArrayList<>();
      for (int u = 0; u < shards.size(); u++) {
        for (String shard : shards.get(u)) {
          keyed.add(KV.of((long) u, shard));
        }
      }
      units = begin.apply("Shards", Create.of(keyed).withCoder(KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of())))
          .apply("Units", GroupByKey.create())
          .apply("Sorted", SortedBatches.of());
    } else {
      refuseUnusable(images); // as built directly (tests, benchmarks); gz's stages checked and noticed already
      Path path = images.toAbsolutePath();
      if (ImageInput.of(path) != ImageInput.FOLDER) {
        source = Source.ARCHIVE;
        // One unit: a .tar.gz cannot be split, and its entries are read as a stream, one at a time.
        units = begin.apply("Archive", Create.of(KV.<Long, Iterable<String>>of(0L, List.of(path.toString())))
            .withCoder(KvCoder.of(VarLongCoder.of(), IterableCoder.of(StringUtf8Coder.of()))));
      } else {
        source = Source.FILES;
        PCollectionTuple names = begin.apply("Image names", ReadImages.list(path.toString()));
        dead = dead.and(names.get(ReadImages.DEAD_LETTERS));
        units = names.get(ReadImages.SOURCES).apply("Batches", NameBatches.of(imageCount(path), IMAGES_PER_CALL));
      }
    }
    Spec spec = new Spec(model.modelDir().toAbsolutePath().toString(), model.label(), batchSize, preprocessing, source,
        statistics, candidates, parts, plain);
    PCollection<DeadLetter> unreadable = units.apply("ReadPreprocessPredict", ParDo.of(new ReadPreprocessPredictFn(spec)))
        .setCoder(AvroCoder.of(DeadLetter.class));
    if (source != Source.SHARDS) {
      dead.and(unreadable)
          .apply("All dead letters", Flatten.pCollections())
          .apply("Write dead letters", new WriteDeadLetters(deadLetterDir, List.of(images.toAbsolutePath().toString())));
    }
    return PDone.in(begin.getPipeline());
  }

  /** One work unit: read (and for raw images preprocess) and predict each galaxy, inside this call. */
  static final class ReadPreprocessPredictFn extends DoFn<KV<Long, Iterable<String>>, DeadLetter> {
    // The units write their predictions themselves, so no step's record count shows the progress:
    // this does, on the Direct runner's bar (a Flink batch job reports it only at its end).
    private final Counter predictedImages = Metrics.counter(PREDICTED_COUNTER_NAMESPACE, PREDICTED_COUNTER);
    private final Spec spec;
    private final TestImageReader reader;
    private transient GalaxyPredictor predictor;
    private transient BatchedInference inference;

    ReadPreprocessPredictFn(Spec spec) {
      this.spec = spec;
      this.reader = spec.source() == Source.SHARDS ? null : new TestImageReader(spec.preprocessing());
    }

    @Setup
    public void setup() {
      predictor = GalaxyPredictor.load(Path.of(spec.modelDir()));
      inference = new BatchedInference(predictor, spec.modelRunId(), spec.batchSize(), spec.plain() != null);
    }

    @ProcessElement
    public void process(@Element KV<Long, Iterable<String>> unit, OutputReceiver<DeadLetter> dead) {
      long u = unit.getKey();
      PickedImages candidates = spec.candidates() == null ? null : new PickedImages(spec.candidates().perUnit().create());
      try (UnitParts.Records<Prediction> written = spec.parts().records(u, Prediction.class);
          UnitParts.Records<Prediction> plain = spec.plain() == null ? null : spec.plain().records(u, Prediction.class);
          UnitParts.Lines statistics = spec.statistics() == null ? null : spec.statistics().into().lines(u);
          UnitParts.Records<Galaxy> kept = candidates == null ? null : spec.candidates().into().records(u, Galaxy.class)) {
        predictUnit(unit.getValue(), dead::output, candidates, written, plain, statistics);
        written.commit();
        if (plain != null) {
          plain.commit();
        }
        if (statistics != null) {
          statistics.commit();
        }
        if (kept != null) {
          candidates.drainTo(kept::append);
          kept.commit();
        }
      }
    }

    private void predictUnit(Iterable<String> sources, Consumer<DeadLetter> dead, PickedImages candidates,
        UnitParts.Records<Prediction> written, UnitParts.Records<Prediction> writtenPlain, UnitParts.Lines statistics) {
      BatchedInference.Out predicted = (galaxy, prediction, plain) -> {
        written.append(prediction);
        predictedImages.inc();
        if (writtenPlain != null) {
          writtenPlain.append(plain);
        }
        if (statistics != null) {
          statistics.append(spec.statistics().line().apply(galaxy));
        }
        if (candidates != null) {
          candidates.offer(prediction, galaxy);
        }
      };
      Consumer<Galaxy> galaxies = galaxy -> inference.add(galaxy, predicted);
      for (String source : sources) {
        switch (spec.source()) {
          case SHARDS -> readShard(source, galaxies);
          case ARCHIVE -> reader.readArchive(source, galaxies, dead);
          case FILES -> reader.read(source, galaxies, dead);
        }
      }
      inference.flush(predicted);
    }

    /** Streams the records of one ingested shard (checked against the manifest when the pipeline was built). */
    private static void readShard(String shard, Consumer<Galaxy> galaxies) {
      try (InputStream in = Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(shard, false)));
          DataFileStream<Galaxy> records = new DataFileStream<>(in, new SpecificDatumReader<>(Galaxy.class))) {
        for (Galaxy g : records) {
          galaxies.accept(g);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the shard " + shard, e);
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
