package org.gzpipelines.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.gzpipelines.explore.Explore;
import org.gzpipelines.explore.ExploreOptions;
import org.gzpipelines.explore.ExploreTracking;
import org.gzpipelines.explore.ReadIngested;
import org.gzpipelines.tracking.RunStatus;
import org.gzpipelines.tracking.TrackedRun;
import org.gzpipelines.tracking.Tracking;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gz explore}: the data report of an ingested dataset, tracked as an MLflow run. */
@Command(
    name = "explore",
    header = "The data report: statistics and figures of a dataset, as HTML.",
    mixinStandardHelpOptions = true,
    description = {
      "Statistics and plots of an ingested Galaxy Zoo dataset: counts, image size and memory, random",
      "images, the 37 label distributions, prototypes, label correlations, decision-tree consistency,",
      "before/after downsampling, train vs validation. Writes figures, results.json and one",
      "self-contained report.html, and logs them to an MLflow run."
    })
public final class ExploreCommand implements Callable<Integer> {

  @Option(names = "--data",
      description = "Ingested dataset folder (train/, val/, manifest.json; from gz ingest), or raw images: --images.")
  Path data;

  @Option(names = "--images",
      description = "Raw images (folder, .zip or .tar.gz) instead of --data: ingested first with gz ingest's defaults"
          + " into <images>-ingested (or --data, if given as the place to ingest to).")
  Path images;

  @Option(names = "--labels", description = "Labels CSV that goes with --images.")
  Path labels;

  @Option(names = "--out", description = "Report folder (default: <data>/explore).")
  Path out;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the random image sample (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--sample-size", defaultValue = "25", description = "Random images shown (default ${DEFAULT-VALUE}).")
  int sampleSize;

  @Option(names = "--experiment", defaultValue = ExploreTracking.DEFAULT_EXPERIMENT,
      description = "MLflow experiment of the run (default ${DEFAULT-VALUE}).")
  String experiment;

  @Option(names = "--run-name", defaultValue = "explore", description = "MLflow run name (default ${DEFAULT-VALUE}).")
  String runName;

  @Mixin RunnerMixin runner;

  @Override
  public Integer call() throws Exception {
    if (images != null) {
      ingestFirst();
    } else if (data == null) {
      throw new UserError("give --data <ingested folder>, or --images <raw images> [--labels <csv>]");
    }
    checkData();
    if (sampleSize < 1) {
      throw new UserError("--sample-size must be at least 1, not " + sampleSize);
    }
    ExploreOptions options = runner.options(ExploreOptions.class);
    options.setData(data.toString());
    options.setOut((out != null ? out : data.resolve("explore")).toString());
    options.setSeed(seed);
    options.setSampleSize(sampleSize);
    try (Tracking tracking = Tracking.fromEnvironment()) {
      Explore.Outcome outcome = runTracked(tracking, experiment, runName, options, runner.runner.name().toLowerCase());
      System.out.println("report: " + outcome.report().html().toAbsolutePath());
    }
    return 0;
  }

  /** Runs explore inside a tracked run; a failure ends the run as FAILED. */
  public static Explore.Outcome runTracked(Tracking tracking, String experiment, String runName,
      ExploreOptions options, String runnerName) throws Exception {
    TrackedRun run = tracking.startRun(experiment, runName);
    try {
      long start = System.nanoTime();
      Explore.Outcome outcome = Explore.run(options);
      double seconds = (System.nanoTime() - start) / 1e9;
      ExploreTracking.log(run, options, runnerName, outcome, seconds);
      run.end(RunStatus.FINISHED);
      System.out.printf("explore: %d records read in %.1f s; run %s in experiment %s%n",
          outcome.results().counts.total(outcome.results().counts.records), seconds, run.runId(), experiment);
      return outcome;
    } catch (Exception | Error e) {
      run.end(RunStatus.FAILED);
      throw e;
    }
  }

  /** Raw input: ingest it first, exactly as {@code gz ingest} would with its defaults. */
  private void ingestFirst() {
    if (data == null) {
      String name = images.getFileName().toString().replaceAll("\\.(zip|tar\\.gz|tgz|tar)$", "");
      data = images.toAbsolutePath().resolveSibling(name + "-ingested");
    }
    java.util.List<String> args = new java.util.ArrayList<>(
        java.util.List.of("ingest", "--images", images.toString(), "--out", data.toString()));
    if (labels != null) {
      args.addAll(java.util.List.of("--labels", labels.toString()));
    }
    args.addAll(runner.args());
    RunCommand.execute(Gz.commandLine(), args);
  }

  private void checkData() throws Exception {
    if (!Files.isDirectory(data)) {
      throw new UserError("--data " + data + " is not a folder; give the output folder of gz ingest"
          + " (it holds train/, val/ and manifest.json)");
    }
    boolean anyShard = false;
    for (String split : ReadIngested.SPLITS) {
      Path folder = data.resolve(split);
      if (Files.isDirectory(folder)) {
        try (var files = Files.list(folder)) {
          anyShard |= files.anyMatch(f -> f.toString().endsWith(".avro"));
        }
      }
    }
    if (!anyShard) {
      throw new UserError("--data " + data + " holds no Avro shards under train/, val/ or test/; run gz ingest"
          + " first and point --data at its output folder");
    }
  }
}
