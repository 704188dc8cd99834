package org.gzpipelines.cli;

import java.util.Map;
import java.util.stream.Collectors;
import org.gzpipelines.ingest.Manifest;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.tracking.Provenance;
import org.gzpipelines.tracking.RunStatus;
import org.gzpipelines.tracking.TrackedRun;
import org.gzpipelines.tracking.Tracking;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.gzpipelines.ingest.Ingest;
import org.gzpipelines.ingest.IngestOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gz ingest}: images (+ labels) to sharded Avro training data with a manifest. */
@Command(
    name = "ingest",
    header = "Validate, crop, downsample and split images + labels into Avro shards.",
    mixinStandardHelpOptions = true,
    description = {
      "Ingest Galaxy Zoo images and labels into sharded Avro files: validate, centre-crop, downsample,",
      "split 80/20 by a seeded GalaxyID hash, optionally augment the training split, and write",
      "<out>/{train,val}/part-*.avro (or <out>/test/ without labels), dead-letter/ and manifest.json.",
      "Bad inputs are dead-lettered and summarised; a re-run on unchanged inputs is skipped."
    })
public final class IngestCommand implements Callable<Integer> {

  @Mixin RunnerMixin runner;

  @Option(names = "--experiment", defaultValue = ExperimentConfigFile.DEFAULT_EXPERIMENT,
      description = "MLflow experiment of the ingest run (default ${DEFAULT-VALUE}).")
  String experiment;

  @Option(names = "--images", required = true,
      description = "Folder of <GalaxyID>.jpg (searched recursively), or a .zip / .tar.gz / .tgz / .tar archive.")
  Path images;

  @Option(names = "--labels", description = "Labels CSV (GalaxyID + Class1.1..Class11.6). Without it the images are ingested as the test split.")
  Path labels;

  @Option(names = "--out", required = true, description = "Output folder (replaced atomically when the run completes).")
  Path out;

  /** The --out folder. */
  public Path out() {
    return out;
  }

  @Option(names = "--expected-size", defaultValue = "424",
      description = "Required image side in pixels; 0 accepts any square RGB image at least --crop-size wide (default ${DEFAULT-VALUE}).")
  int expectedSize;

  @Option(names = "--crop-size", defaultValue = "207", description = "Centre crop side (default ${DEFAULT-VALUE}).")
  int cropSize;

  @Option(names = "--output-size", defaultValue = "69", description = "Stored image side after area-averaging resize (default ${DEFAULT-VALUE}).")
  int outputSize;

  @Option(names = "--train-fraction", defaultValue = "0.8", description = "Share of labelled galaxies in the training split (default ${DEFAULT-VALUE}).")
  double trainFraction;

  @Option(names = "--split-seed", defaultValue = "42", description = "Seed of the split hash (default ${DEFAULT-VALUE}).")
  long splitSeed;

  @Option(names = "--augment", defaultValue = "0",
      description = "Extra randomly rotated and mirrored copies of each training image (default ${DEFAULT-VALUE}).")
  int augmentCopies;

  @Option(names = "--augment-seed", defaultValue = "7", description = "Seed of the copies' angles and mirrors (default ${DEFAULT-VALUE}).")
  long augmentSeed;

  @Option(names = "--records-per-shard", defaultValue = "150", description = "Target records per Avro shard (default ${DEFAULT-VALUE}).")
  int recordsPerShard;

  @Option(names = "--shards", defaultValue = "0", description = "Fixed number of shards per split; 0 = from --records-per-shard.")
  int numShards;

  @Option(names = "--buckets",
      description = "Work units of the file reads and the GalaxyID join (default 4 x cores); see docs/BENCHMARKS.md.")
  Integer buckets;

  @Override
  public Integer call() throws Exception {
    IngestOptions options = options();
    try (Tracking tracking = Tracking.fromEnvironment();
        TrackedRun run = tracking.startRun(experiment, "ingest")) {
      run.setTag("gz.stage", "ingest");
      run.logParams(Map.of(
          "images", images.toAbsolutePath().toString(),
          "labels", labels == null ? "" : labels.toAbsolutePath().toString(),
          "out", out.toAbsolutePath().toString(),
          "runner", runner.runner.name().toLowerCase(java.util.Locale.ROOT)));
      Ingest.Result result;
      try {
        result = Ingest.run(options, out, System.out, runner::run);
      } catch (Exception | Error e) {
        run.end(RunStatus.FAILED);
        throw e;
      }
      Manifest m = result.manifest();
      run.logParams(m.parameters().entrySet().stream()
          .collect(Collectors.toMap(e -> "ingest." + e.getKey(), e -> String.valueOf(e.getValue()))));
      run.setTag("gz.ingest.skipped", Boolean.toString(result.skipped()));
      m.records().forEach((split, n) -> run.logMetric("records_" + split, n, 0));
      run.logMetric("dead_letters", m.deadLetterTotal(), 0);
      if (m.maxMeanDifference() != null) {
        run.logMetric("max_train_val_mean_difference", m.maxMeanDifference(), 0);
      }
      Path manifest = out.resolve(Manifest.FILE_NAME);
      Provenance.tagDataManifest(run, manifest);
      run.logArtifact(manifest, "");
    }
    return 0;
  }

  /** The typed pipeline options these flags describe (the output folder is set by {@link Ingest}). */
  public IngestOptions options() {
    IngestOptions o = runner.options(IngestOptions.class);
    o.setImages(images.toString());
    o.setLabels(labels == null ? null : labels.toString());
    o.setExpectedSize(expectedSize);
    o.setCropSize(cropSize);
    o.setOutputSize(outputSize);
    o.setTrainFraction(trainFraction);
    o.setSplitSeed(splitSeed);
    o.setAugmentCopies(augmentCopies);
    o.setAugmentSeed(augmentSeed);
    o.setRecordsPerShard(recordsPerShard);
    o.setNumShards(numShards);
    if (buckets != null) {
      o.setBuckets(buckets);
    }
    return o;
  }
}
