package org.gzpipelines.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.avro.SchemaNormalization;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.gzpipelines.cli.UserError;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;

/**
 * Runs the ingest pipeline around its checks and bookkeeping: validates the inputs up front,
 * skips the run when {@code <out>/manifest.json} already describes the same inputs and
 * parameters, writes into a temporary sibling folder that is renamed into place only when
 * complete (manifest last), and summarises dead letters.
 */
public final class Ingest {
  private Ingest() {}

  /**
   * What a run did.
   *
   * @param manifest the manifest of the output (the existing one when skipped)
   * @param skipped true when the output was already up to date
   * @param deadLetters counts and examples of the dead letters (empty when skipped)
   * @param metricCounters Beam counters of the "ingest" namespace, as the runner reported them
   */
  public record Result(Manifest manifest, boolean skipped, DeadLetterSummary deadLetters, Map<String, Long> metricCounters) {}

  /** Ingests {@code options.getImages()} (+ labels) into {@code out}; the output dir option is set here. */
  public static Result run(IngestOptions options, Path out, PrintStream log) throws IOException {
    return run(options, out, log, pipeline -> {
      PipelineResult result = pipeline.run();
      result.waitUntilFinish();
      return result;
    });
  }

  /**
   * As {@link #run(IngestOptions, Path, PrintStream)}, running the pipeline to completion with
   * {@code runner} (the CLI passes {@code RunnerMixin::run}, which reports Flink jobs).
   */
  public static Result run(IngestOptions options, Path out, PrintStream log, Function<Pipeline, PipelineResult> runner)
      throws IOException {
    Path images = Path.of(options.getImages()).toAbsolutePath();
    Path labels = options.getLabels() == null || options.getLabels().isEmpty() ? null : Path.of(options.getLabels()).toAbsolutePath();
    checkInputs(images, labels);
    PreprocessParams.from(options); // fails early on inconsistent sizes
    new SplitAssigner(options.getSplitSeed(), options.getTrainFraction()); // fails early on a bad fraction

    InputFingerprint fingerprint = InputFingerprint.of(images, labels);
    if (fingerprint.imageFiles() == 0) {
      throw new UserError("no images under " + images + ": expected <GalaxyID>.jpg files (searched recursively)");
    }
    Map<String, Object> parameters = parameters(options, labels != null);
    String schemaFingerprint = Long.toHexString(SchemaNormalization.parsingFingerprint64(Galaxy.SCHEMA$));
    out = out.toAbsolutePath();
    if (Files.isRegularFile(out.resolve(Manifest.FILE_NAME))) {
      Manifest existing = Manifest.read(out);
      if (existing.describes(fingerprint.sha256(), schemaFingerprint, parameters)) {
        log.println("Skipped: " + out + " is up to date (same inputs, parameters and schema as its manifest.json, created "
            + existing.createdAt() + ").");
        return new Result(existing, true, new DeadLetterSummary(), Map.of());
      }
    }

    Files.createDirectories(out.getParent());
    Path tmp = out.resolveSibling("." + out.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      Files.createDirectories(tmp);
      options.setOutputDir(tmp.toString());
      tuneDirectRunner(options);
      log.println("Ingesting " + fingerprint.imageFiles() + (Files.isDirectory(images) ? " image files" : " archive")
          + " from " + images + (labels == null ? " (unlabelled: test split)" : " with labels " + labels) + " ...");
      PipelineResult result = runner.apply(IngestPipeline.create(options));
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
      Manifest manifest = new Manifest(
          images.toString(),
          labels == null ? null : labels.toString(),
          fingerprint.sha256(),
          fingerprint.imageFiles(),
          schemaFingerprint,
          parameters,
          options.getSplitSeed(),
          stats.records,
          stats.galaxies,
          dead.counts(),
          dead.total(),
          Double.isNaN(diff) ? null : diff,
          diffLabel < 0 ? null : GalaxyZooTaxonomy.answers().get(diffLabel).id(),
          generatorSeed(images),
          Instant.now().toString());
      deleteBeamTempFolders(tmp);
      manifest.write(tmp);
      moveIntoPlace(tmp, out);
      log.print(report(manifest, dead, out));
      return new Result(manifest, false, dead, counters);
    } finally {
      deleteTree(tmp);
    }
  }

  private static void checkInputs(Path images, Path labels) throws IOException {
    if (!Files.exists(images)) {
      throw new UserError("images not found: " + images + " (pass a folder of <GalaxyID>.jpg, a .zip or a .tar.gz)");
    }
    try {
      ImageInput.of(images);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
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

  /** Every option that changes the output's content or layout. */
  static Map<String, Object> parameters(IngestOptions o, boolean labelled) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("labelled", labelled);
    p.put("expectedSize", o.getExpectedSize());
    p.put("cropSize", o.getCropSize());
    p.put("outputSize", o.getOutputSize());
    p.put("resize", "area-average");
    p.put("trainFraction", o.getTrainFraction());
    p.put("splitSeed", o.getSplitSeed());
    p.put("augmentCopies", o.getAugmentCopies());
    p.put("augmentSeed", o.getAugmentSeed());
    p.put("recordsPerShard", o.getRecordsPerShard());
    p.put("numShards", o.getNumShards());
    return p;
  }

  /**
   * The Direct runner by default encodes every element twice per step to check that DoFns neither
   * mutate their inputs nor emit unencodable values: invaluable while writing transforms (tests
   * keep it), pure overhead for a production ingest of 60,000 images (measured on evaluate: 105 s
   * -> 50 s for 2,543 images). Every gz command's options pass through here ({@code RunnerMixin}).
   */
  public static void tuneDirectRunner(org.apache.beam.sdk.options.PipelineOptions options) {
    if (options.getRunner() == DirectRunner.class) {
      DirectOptions direct = options.as(DirectOptions.class);
      direct.setEnforceImmutability(false);
      direct.setEnforceEncodability(false);
    }
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
        counters.merge(c.getName().getName(), c.getAttempted(), Long::sum);
      }
    } catch (UnsupportedOperationException e) {
      // a runner without metrics: the summary read from the dead-letter files still stands
    }
    return counters;
  }

  /** Renames the finished temporary folder to {@code out}, replacing an older output. */
  private static void moveIntoPlace(Path tmp, Path out) throws IOException {
    Path old = null;
    if (Files.exists(out)) {
      old = out.resolveSibling("." + out.getFileName() + ".old-" + UUID.randomUUID());
      Files.move(out, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
    if (old != null) {
      deleteTree(old);
    }
  }

  /** FileIO leaves its emptied ".temp-beam" folders behind; the output holds only shards. */
  private static void deleteBeamTempFolders(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith(".temp-beam")).toList()) {
        deleteTree(p);
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  private static String report(Manifest m, DeadLetterSummary dead, Path out) {
    StringBuilder s = new StringBuilder();
    s.append("Wrote ").append(out).append('\n');
    m.records().forEach((split, n) -> s.append(String.format("  %-5s %8d records (%d galaxies)%n",
        split.toLowerCase(java.util.Locale.ROOT), n, m.galaxies().getOrDefault(split, 0L))));
    if (m.maxMeanDifference() != null) {
      s.append(String.format("  train/val label means: largest difference %.4f (%s)%n", m.maxMeanDifference(), m.maxMeanDifferenceLabel()));
    }
    s.append(dead.table());
    return s.toString();
  }
}
