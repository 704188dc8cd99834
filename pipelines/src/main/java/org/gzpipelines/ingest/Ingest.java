package org.gzpipelines.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.avro.SchemaNormalization;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.gzpipelines.beam.AvroFiles;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.model.data.Manifest;
import org.gzpipelines.model.data.Preprocessing;
import org.gzpipelines.model.data.ShardCheck;
import org.gzpipelines.run.PipelineProgress;
import org.gzpipelines.run.PipelineRunner;
import org.gzpipelines.run.Stage;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.synth.SynthOptions;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.gzpipelines.tracking.Provenance;
import org.gzpipelines.tracking.SharedPaths;
import org.gzpipelines.tracking.TrackedRun;

/**
 * The ingest stage: validates the inputs up front, removes the staging folders of killed ingests
 * into the same output, skips the run when {@code <out>/manifest.json} already describes the same
 * inputs and parameters and every shard is as it lists (unless {@code force}), runs the {@link
 * IngestPipeline} into a {@link StagingFolder} that is renamed into place only when complete
 * (manifest last, listing every shard's size, records and checksum), summarises dead letters, and
 * logs the manifest and counts to the stage's run.
 */
public final class Ingest implements Stage<IngestParams, Ingest.Result> {

  private final PrintStream log;
  /**
   * The parameters {@link #current(IngestParams)} last found out of date: the stage that then
   * ingests them neither checks every shard's checksum again nor says twice which shard is damaged.
   */
  private IngestParams foundOutOfDate;

  /** An ingest that reports on {@code log} (the console, or nowhere in benchmarks). */
  public Ingest(PrintStream log) {
    this.log = log;
  }

  /**
   * What a run did.
   *
   * @param out the output folder (absolute)
   * @param manifest the manifest of the output (the existing one when skipped)
   * @param skipped true when the output was already up to date
   * @param deadLetters counts and examples of the dead letters (empty when skipped)
   * @param metricCounters the dead-letter counters ("ingest" namespace, "dead-letter.<kind>"), as the
   *     runner reported them
   */
  public record Result(Path out, Manifest manifest, boolean skipped, DeadLetterSummary deadLetters,
      Map<String, Long> metricCounters) {}

  @Override
  public Result run(IngestParams params, TrackedRun run, PipelineRunner runner) throws IOException {
    Result result = ingest(params, runner);
    Manifest m = result.manifest();
    run.setTag("gz.ingest.skipped", Boolean.toString(result.skipped()));
    // Lower case, as explore names the same counts (records_train), so the two runs compare by key.
    m.records().forEach((split, n) -> run.logMetric("records_" + split.toLowerCase(Locale.ROOT), n, 0));
    run.logMetric("dead_letters", m.deadLetterTotal(), 0);
    if (m.maxMeanDifference() != null) {
      run.logMetric("max_train_val_mean_difference", m.maxMeanDifference(), 0);
    }
    Path manifest = result.out().resolve(Manifest.FILE_NAME);
    Provenance.tagDataManifest(run, manifest);
    run.logArtifact(manifest, "");
    return result;
  }

  @Override
  public void check(IngestParams params) throws IOException {
    if (params.images == null || params.images.isBlank()) {
      throw new UserError("'ingest.images' is not set: give --images (or ingest.images in the config):"
          + " a folder, .zip or .tar.gz of " + ImageInput.IMAGE_FILES);
    }
    checkInputs(Path.of(params.images).toAbsolutePath(),
        params.labelled() ? Path.of(params.labels).toAbsolutePath() : null);
    checkKeepsLabelledData(params);
  }

  /**
   * Refuses, without --force, an unlabelled ingest into the folder of a labelled dataset: the
   * Kaggle test images ingested with the default --out would replace the training set, train and
   * val splits included, and the models trained on it could no longer be evaluated. (Other inputs
   * into a used folder are a re-ingest, as after a change of images or parameters.)
   */
  private static void checkKeepsLabelledData(IngestParams params) {
    if (params.force || params.labelled()) {
      return;
    }
    Path out = Path.of(params.out).toAbsolutePath().normalize();
    Optional<Manifest> existing;
    try {
      existing = Manifest.find(out);
    } catch (IOException e) {
      return; // an unreadable manifest describes no dataset to keep: ingest replaces it, as before
    }
    if (existing.isPresent() && existing.get().labels() != null) {
      Manifest m = existing.get();
      Path given = Path.of(params.out);
      throw new UserError(out + " holds a labelled dataset (" + recordCounts(m) + " records, ingested from "
          + m.images() + " with labels " + m.labels() + "), and ingesting the unlabelled images " + params.images
          + " there would replace it, train and val splits included. Give them another --out (e.g. --out "
          + given.resolveSibling(given.getFileName() + "-test") + "), or add --force to replace the dataset.");
    }
  }

  private static String recordCounts(Manifest m) {
    return m.records().entrySet().stream()
        .map(e -> e.getKey().toLowerCase(Locale.ROOT) + " " + e.getValue())
        .collect(Collectors.joining(", "));
  }

  /** Ingests {@code params.images} (+ labels) into {@code params.out}, untracked. */
  public Result ingest(IngestParams params, PipelineRunner runner) throws IOException {
    Path out = Path.of(params.out).toAbsolutePath().normalize();
    StagingFolder.removeAbandoned(out, log);
    InputFingerprint fingerprint = checkedFingerprint(params);
    Optional<Manifest> current = params == foundOutOfDate ? Optional.empty() : current(params, fingerprint);
    if (current.isPresent()) {
      log.println(skippedNotice(out, current.get()));
      return new Result(out, current.get(), true, new DeadLetterSummary(), Map.of());
    }
    Path images = Path.of(params.images).toAbsolutePath().normalize();
    Path labels = params.labelled() ? Path.of(params.labels).toAbsolutePath().normalize() : null;
    Manifest.Parameters parameters = parameters(params);
    String schemaFingerprint = schemaFingerprint();

    Files.createDirectories(out.getParent());
    try (StagingFolder staging = StagingFolder.create(out)) {
      Path tmp = staging.output();
      log.println("Ingesting " + fingerprint.imageFiles() + (Files.isDirectory(images) ? " image files" : " archive")
          + " from " + images + (labels == null ? " (unlabelled: test split)" : " with labels " + labels) + " ...");
      ImageInput.unreadImagesNotice(images).ifPresent(log::println);
      // Archives are read in one piece, so only a folder's images show progress.
      PipelineProgress progress = Files.isDirectory(images)
          ? new PipelineProgress("ingest", IngestImages.IMAGES_COUNTER, fingerprint.imageFiles(), log) : null;
      PipelineResult result = runner.run(IngestPipeline.create(runner.options("ingest"), params, tmp.toString()), progress);
      Map<String, Long> counters = counters(result);

      Path statsFile = tmp.resolve("_stats.json");
      SplitStats stats = SplitStats.fromJson(statsFile);
      Files.delete(statsFile);
      DeadLetterSummary dead = DeadLetterSummary.read(tmp.resolve("dead-letter"));
      long good = stats.records.values().stream().mapToLong(Long::longValue).sum();
      if (good == 0) {
        throw new UserError("no usable images: all inputs were rejected.\n" + dead.table()
            + "Fix the inputs as each reason says and run again.");
      }
      double diff = stats.maxMeanDifference();
      int diffLabel = stats.maxMeanDifferenceLabel();
      AvroFiles.deleteTempFolders(tmp); // the output holds only shards
      Manifest manifest = new Manifest(
          SharedPaths.of(images),
          labels == null ? null : SharedPaths.of(labels),
          fingerprint.sha256(),
          fingerprint.imageFiles(),
          schemaFingerprint,
          parameters,
          params.splitSeed,
          stats.records,
          stats.galaxies,
          dead.counts(),
          dead.total(),
          Double.isNaN(diff) ? null : diff,
          diffLabel < 0 ? null : GalaxyZooTaxonomy.answers().get(diffLabel).id(),
          generatorSeed(images),
          Instant.now().toString(),
          Manifest.measureShards(tmp));
      manifest.write(tmp);
      staging.moveIntoPlace(out);
      log.print(report(manifest, dead, out));
      return new Result(out, manifest, false, dead, counters);
    }
  }

  /** What a skipped ingest says: {@code out} is as its manifest {@code m} describes it. */
  public static String skippedNotice(Path out, Manifest m) {
    return "Skipped: " + out + " is up to date (same inputs, parameters and schema as its manifest.json, created "
        + m.createdAt() + ", and every shard as it lists; --force ingests anyway).";
  }

  /**
   * The manifest of {@code params.out} when the output is up to date (see {@link #upToDate}), else
   * empty, always empty with {@code force}. Public so that {@code gz run} can skip an unchanged
   * ingest before it opens the stage's MLflow run, which would otherwise be an empty run per re-run.
   * Checks the inputs first ({@link #check}).
   */
  public Optional<Manifest> current(IngestParams params) throws IOException {
    Optional<Manifest> current = current(params, checkedFingerprint(params));
    foundOutOfDate = current.isEmpty() ? params : null;
    return current;
  }

  private Optional<Manifest> current(IngestParams params, InputFingerprint fingerprint) throws IOException {
    return params.force ? Optional.empty()
        : upToDate(Path.of(params.out).toAbsolutePath(), fingerprint.sha256(), schemaFingerprint(), parameters(params));
  }

  /** The inputs' fingerprint, once they are checked ({@link #check}: they hold an image). */
  private InputFingerprint checkedFingerprint(IngestParams params) throws IOException {
    check(params);
    Path images = Path.of(params.images).toAbsolutePath();
    return InputFingerprint.of(images, params.labelled() ? Path.of(params.labels).toAbsolutePath() : null);
  }

  private static String schemaFingerprint() {
    return Long.toHexString(SchemaNormalization.parsingFingerprint64(Galaxy.SCHEMA$));
  }

  /**
   * The manifest of {@code out} when it describes these inputs, parameters and schema and every
   * file is as it lists, checksums included (the one check without a read after it to notice
   * damage); else empty, saying on the log which file is not.
   */
  private Optional<Manifest> upToDate(Path out, String inputs, String schema, Manifest.Parameters parameters)
      throws IOException {
    Optional<Manifest> existing = Manifest.find(out);
    if (existing.isEmpty() || !existing.get().describes(inputs, schema, parameters)) {
      return Optional.empty();
    }
    Optional<String> damage = ShardCheck.damage(out);
    damage.ifPresent(d -> log.println(d + ": ingesting again."));
    return damage.isPresent() ? Optional.empty() : existing;
  }

  private static void checkInputs(Path images, Path labels) throws IOException {
    if (!Files.exists(images)) {
      throw new UserError("images not found: " + images + " (pass a folder, .zip or .tar.gz of " + ImageInput.IMAGE_FILES + ")");
    }
    try {
      ImageInput.of(images);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    if (Files.isDirectory(images) && !ImageInput.hasImages(images)) {
      throw new UserError("no images under " + images + ": expected " + ImageInput.IMAGE_FILES + " (searched recursively)"
          + ImageInput.noImagesHints(images));
    }
    Path training = images.resolve(SynthOptions.KAGGLE_IMAGES_DIR);
    if (Files.isDirectory(images) && Files.isDirectory(training)) {
      // The images are read recursively: the test folder's 79,975 would each be a dead letter
      // (no labels), or be mixed into a test split with the training images.
      throw new UserError("--images " + images + " is the Kaggle download's folder: give --images " + training
          + (labels == null ? "" : " with --labels " + labels) + ", and ingest " + images.resolve(SynthOptions.KAGGLE_TEST_DIR)
          + " on its own (no --labels, its own --out) if you want it as a test split");
    }
    if (labels != null) {
      if (!Files.isRegularFile(labels)) {
        throw new UserError("labels file not found: " + labels);
      }
      try {
        LabelsCsv.checkHeader(labels);
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage());
      }
    }
  }

  /** Every setting that changes the output's content or layout. */
  static Manifest.Parameters parameters(IngestParams p) {
    return new Manifest.Parameters(p.labelled(), p.expectedSize, p.cropSize, p.outputSize, Preprocessing.AREA_AVERAGE,
        p.trainFraction, p.splitSeed, p.augment, p.augmentSeed, p.recordsPerShard, p.shards);
  }

  /** The seed in a synthetic generator's truth.json in or beside the images input, if any. */
  static Long generatorSeed(Path images) {
    for (Path dir : new Path[] {Files.isDirectory(images) ? images : null, images.getParent()}) {
      if (dir == null || !Files.isRegularFile(dir.resolve("truth.json"))) {
        continue;
      }
      try {
        JsonNode truth = new ObjectMapper().readTree(dir.resolve("truth.json").toFile());
        for (String field : new String[] {"seed", "generatorSeed"}) {
          if (truth.path(field).isIntegralNumber()) {
            return truth.path(field).asLong();
          }
        }
      } catch (IOException e) {
        return null; // a provenance nicety only: an unreadable truth.json must not fail the ingest
      }
    }
    return null;
  }

  private static Map<String, Long> counters(PipelineResult result) {
    Map<String, Long> counters = new TreeMap<>();
    try {
      for (MetricResult<Long> c :
          result.metrics().queryMetrics(MetricsFilter.builder().addNameFilter(MetricNameFilter.inNamespace("ingest")).build()).getCounters()) {
        if (c.getName().getName().startsWith(Problem.COUNTER_PREFIX)) {
          counters.merge(c.getName().getName(), c.getAttempted(), Long::sum);
        }
      }
    } catch (UnsupportedOperationException e) {
      // a runner without metrics: the summary read from the dead-letter files still stands
    }
    return counters;
  }

  private static String report(Manifest m, DeadLetterSummary dead, Path out) {
    StringBuilder s = new StringBuilder();
    s.append("Wrote ").append(out).append('\n');
    m.records().forEach((split, n) -> s.append(String.format("  %-5s %8d records (%d galaxies)%n",
        split.toLowerCase(Locale.ROOT), n, m.galaxies().getOrDefault(split, 0L))));
    if (m.maxMeanDifference() != null) {
      s.append(String.format("  train/val label means: largest difference %.4f (%s)%n", m.maxMeanDifference(), m.maxMeanDifferenceLabel()));
    }
    s.append(dead.table());
    unmatchedLabelsWarning(m, dead).ifPresent(w -> s.append(w).append('\n'));
    return s.toString();
  }

  /** Share of label rows without an image above which the images given are likely not all of them. */
  private static final double UNMATCHED_LABELS_WARNING = 0.1;

  /**
   * A warning when many label rows found no image: the usual cause is --images naming part of the
   * download (one of several folders, a half-unpacked archive), which otherwise ends in a smaller
   * dataset and exit 0. A subset taken on purpose gives the same warning, which says so.
   */
  static Optional<String> unmatchedLabelsWarning(Manifest m, DeadLetterSummary dead) {
    long unmatched = dead.counts().getOrDefault(Problem.NO_IMAGE.code(), 0L);
    long rows = unmatched + m.galaxies().values().stream().mapToLong(Long::longValue).sum();
    if (m.labels() == null || unmatched == 0 || unmatched < UNMATCHED_LABELS_WARNING * rows) {
      return Optional.empty();
    }
    return Optional.of(String.format(Locale.ROOT, "Warning: %,d of %,d label rows (%.0f%%) of %s have no image in %s and"
        + " were left out. If the images are only part of the download (one of several folders, an archive not"
        + " fully unpacked), give all of them (e.g. the whole images_training_rev1 folder or its .zip); a subset"
        + " chosen on purpose is fine.", unmatched, rows, 100.0 * unmatched / rows, m.labels(), m.images()));
  }
}
