package org.gzpipelines.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.gzpipelines.bench.IngestBenchmark;
import org.gzpipelines.bench.PredictBenchmark;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.ingest.IngestParams;
import org.gzpipelines.predict.PredictParams;
import org.gzpipelines.tracking.Tracking;
import org.gzpipelines.tracking.TrackingBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gz bench}: the project's speed measurements, one subcommand each. */
@Command(
    name = "bench",
    header = "Throughput benchmarks (numbers go to docs/BENCHMARKS.md).",
    mixinStandardHelpOptions = true,
    description = "Measure throughput (run on an idle machine; numbers go to docs/BENCHMARKS.md).",
    subcommands = {
      CommandLine.HelpCommand.class,
      BenchCommand.Ingest.class,
      BenchCommand.Predict.class,
      BenchCommand.TrackingBench.class,
      TrainBenchCommand.class
    })
final class BenchCommand {

  /** {@code gz bench ingest}: Direct-runner ingest against bare JPEG decoding of the same files. */
  @Command(name = "ingest", mixinStandardHelpOptions = true,
      header = "Ingest throughput against bare JPEG decoding of the same files.",
      description = {"Ingest throughput (Direct runner) against bare ImageIO decoding of the same files on the same threads,",
          "at one or more input sizes: CPU milliseconds per image that stay the same from size to size show that ingest is linear."})
  static final class Ingest implements Callable<Integer> {
    @Option(names = "--images", required = true, description = "Folder of images (searched recursively).")
    Path images;

    @Option(names = "--labels", description = "Labels CSV of the images: ingest them labelled (train/val), as a study does.")
    Path labels;

    @Option(names = "--sizes", split = ",", paramLabel = "<n>",
        description = "Input sizes to measure, e.g. 10000,61578: the first N images by path (default: all of them).")
    List<Integer> sizes = new ArrayList<>();

    @Option(names = "--runs", defaultValue = "3", description = "Timed runs of each per size (default ${DEFAULT-VALUE}), after one warm-up.")
    int runs;

    @Option(names = "--threads", description = "Decoding threads and Direct-runner workers (default: the number of cores).")
    Integer threads;

    @Option(names = "--images-per-bundle", description = "Ingest's --images-per-bundle (default: gz ingest's).")
    Integer imagesPerBundle;

    @Override
    public Integer call() throws Exception {
      int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
      int perBundle = imagesPerBundle != null ? imagesPerBundle : new IngestParams().imagesPerBundle;
      IngestBenchmark.run(images, labels, sizes, runs, n, perBundle, System.out);
      return 0;
    }
  }

  /** {@code gz bench predict}: gz predict and gz mergers on raw images against the bare predictor on the same images. */
  @Command(name = "predict", mixinStandardHelpOptions = true,
      header = "gz predict and gz mergers against the bare predictor on the same images.",
      description = {"Throughput of gz predict and gz mergers (Direct runner) against the bare predictor (read, decode, preprocess",
          "and predict in batches in a plain loop, one predictor per thread) on the same raw images and threads, at one or more",
          "input sizes: CPU milliseconds per image that stay the same from size to size show that the stages are linear."})
  static final class Predict implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "A saved model folder (a gz train run's model/ or best-model/).")
    Path model;

    @Option(names = "--images", required = true, description = "Folder of raw images named <GalaxyID>.jpg (searched recursively).")
    Path images;

    @Option(names = "--sizes", split = ",", paramLabel = "<n>",
        description = "Input sizes to measure, e.g. 10000,79975: the first N images by path (default: all of them).")
    List<Integer> sizes = new ArrayList<>();

    @Option(names = "--runs", defaultValue = "1", description = "Timed runs of each per size (default ${DEFAULT-VALUE}), after one warm-up.")
    int runs;

    @Option(names = "--threads", description = "Predictor threads and Direct-runner workers (default: the number of cores).")
    Integer threads;

    @Option(names = "--batch-size", description = "Images per inference batch (default: gz predict's).")
    Integer batchSize;

    @Option(names = "--data", description = "An ingested folder: also gz evaluate against the bare predictor on its validation records.")
    Path data;

    @Option(names = "--evaluate-sizes", split = ",", paramLabel = "<n>",
        description = "With --data: validation records to evaluate, e.g. 2000,12209: the first shards holding about N"
            + " (default: the whole split; a size above it is the whole split).")
    List<Integer> evaluateSizes = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
      int batch = batchSize != null ? batchSize : new PredictParams().batchSize;
      PredictBenchmark.run(model, images, sizes, runs, n, batch, System.out);
      if (data != null) {
        PredictBenchmark.runEvaluate(model, data, evaluateSizes, n, batch, System.out);
      }
      return 0;
    }
  }

  @Command(
      name = "tracking",
      mixinStandardHelpOptions = true,
      header = "Metric points per second a run sustains, offline and against the server.",
      description = "Metric points per second a run sustains: local run folder only, then against "
          + "$MLFLOW_TRACKING_URI (batched log-batch requests), checking the server holds every point.")
  static final class TrackingBench implements Callable<Integer> {
    @Option(names = "--points", defaultValue = "100000", description = "metric points per run (default: ${DEFAULT-VALUE})")
    int points;

    @Option(names = "--keys", defaultValue = "10", description = "distinct metrics (default: ${DEFAULT-VALUE})")
    int keys;

    @Option(names = "--runs-dir", defaultValue = "runs/bench", description = "local run folders (default: ${DEFAULT-VALUE})")
    Path runsDir;

    @Override
    public Integer call() {
      try (Tracking offline = Tracking.offline(runsDir)) {
        System.out.println(TrackingBenchmark.run(offline, points, keys));
      }
      String uri = System.getenv(Tracking.URI_ENV);
      if (uri == null || uri.isBlank()) {
        System.out.println("(set " + Tracking.URI_ENV + " to also measure against a tracking server)");
        return 0;
      }
      try (Tracking tracking = Tracking.connect(uri, runsDir)) {
        TrackingBenchmark.Result r = TrackingBenchmark.run(tracking, points, keys);
        System.out.println(r);
        if (r.pointsOnServer() != points) {
          throw new UserError("the server holds " + r.pointsOnServer() + " of " + points + " points; see the warnings above");
        }
      }
      return 0;
    }
  }
}
