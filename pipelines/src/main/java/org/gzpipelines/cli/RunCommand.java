package org.gzpipelines.cli;

import com.google.common.collect.Lists;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.gzpipelines.mergers.MergerMeasurement;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.run.StageLedger;
import org.gzpipelines.run.StageSections;
import org.gzpipelines.tracking.Provenance;
import org.gzpipelines.tracking.RunStatus;
import org.gzpipelines.tracking.TrackedRun;
import org.gzpipelines.tracking.Tracking;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gz run}: the stages a config names, in order, under one parent MLflow run. Each stage
 * runs through its own {@code gz} subcommand (so it behaves exactly as when typed by hand) with
 * arguments taken from the config's sections; every stage's run is a child of the parent run.
 */
@Command(
    name = "run",
    header = "Run the stages of an experiment config (or a sweep) under one parent run.",
    mixinStandardHelpOptions = true,
    description = {
      "Run the stages a config names (stages: [synth, ingest, explore, train, evaluate, mergers, compare])",
      "in order under one parent MLflow run. A stage whose inputs and parameters are unchanged since its",
      "last success is skipped (fingerprints in .gz-run/<experiment>.json). A sweep: section trains every",
      "grid point as its own run and the compare stage draws them together."
    })
public final class RunCommand implements Callable<Integer> {

  /** The stages, in the only order they may run. */
  static final List<String> STAGES = List.of("synth", "ingest", "explore", "train", "evaluate", "mergers", "compare");

  @Option(names = "--config", required = true, paramLabel = "<yaml>", description = "Experiment config, e.g. configs/demo.yaml.")
  Path config;

  @Option(names = "--force", description = "Run every stage, even those whose outputs are up to date.")
  boolean force;

  @Mixin RunnerMixin runner;

  /** What one {@link #call} produced, for {@code gz demo}. */
  record Outcome(String parentRunId, List<String> trainRunIds, Optional<MergerMeasurement.Result> mergers) {}

  private Outcome outcome;

  Outcome outcome() {
    return outcome;
  }

  @Override
  public Integer call() {
    return run(ExperimentConfigFile.load(config), config);
  }

  /** Runs {@code cfg} (loaded from {@code file}); used by {@code gz demo} with overrides applied. */
  int run(ExperimentConfigFile cfg, Path file) {
    List<String> stages = cfg.section("stages", StageSections.Stages.class);
    for (String s : stages) {
      if (!STAGES.contains(s)) {
        throw new UserError(file + ": unknown stage '" + s + "' in 'stages' (known: " + STAGES + ")");
      }
    }
    if (stages.isEmpty()) {
      throw new UserError(file + ": 'stages' is empty; list the stages to run, e.g. stages: [ingest, train]");
    }
    StageSections.Synth synth = cfg.section("synth", StageSections.Synth.class);
    StageSections.Ingest ingest = cfg.section("ingest", StageSections.Ingest.class);
    StageSections.Mergers mergers = cfg.section("mergers", StageSections.Mergers.class);
    StageSections.Sweep sweep = cfg.section("sweep", StageSections.Sweep.class);
    StageSections.Explore explore = cfg.section("explore", StageSections.Explore.class);
    StageSections.Evaluate evaluate = cfg.section("evaluate", StageSections.Evaluate.class);
    // Later stages read what earlier ones wrote, unless the config points elsewhere.
    Path synthOut = Path.of(synth.out);
    if (stages.contains("synth")) {
      ingest.images = ingest.images != null ? ingest.images : synthOut.resolve("images_training_rev1").toString();
      ingest.labels = ingest.labels != null ? ingest.labels : synthOut.resolve("training_solutions_rev1.csv").toString();
      mergers.images = mergers.images != null ? mergers.images : synthOut.resolve("images_test_rev1").toString();
      mergers.truth = mergers.truth != null ? mergers.truth : synthOut.resolve("truth.json").toString();
    }
    if (stages.contains("ingest")) {
      if (ingest.images == null) {
        throw new UserError(file + ": 'ingest.images' is not set (a folder, .zip or .tar.gz of <GalaxyID>.jpg)");
      }
      cfg = cfg.with("train.data", ingest.out);
    }

    Tracking tracking = Tracking.fromEnvironment();
    String experiment = cfg.experimentName();
    StageLedger ledger =
        StageLedger.open(Path.of(".gz-run", experiment + ".json"));
    TrackedRun parent = tracking.startRun(experiment, "run " + baseName(file));
    parent.logParams(cfg.flatten());
    parent.setTag("gz.stage", "run");
    Provenance.tagConfig(parent, file);
    System.setProperty(Tracking.PARENT_RUN_PROPERTY, parent.runId());
    System.out.println("gz run: parent run " + parent.runId() + " in experiment '" + experiment + "'");
    List<String> trainRuns = new ArrayList<>();
    Optional<MergerMeasurement.Result> mergerResult = Optional.empty();
    RunStatus status = RunStatus.FAILED;
    try {
      Map<String, String> flat = cfg.flatten();
      String synthFp = fp(flat, "synth");
      String ingestFp = ledgerKey(fp(flat, "ingest"), synthFp, stages.contains("ingest") ? ingest.images : "");
      for (String stage : STAGES) {
        if (!stages.contains(stage)) {
          continue;
        }
        banner(stage);
        switch (stage) {
          case "synth" -> stage(ledger, "synth", synthFp, synthOut.resolve("truth.json"), () -> {
            List<String> a = Lists.newArrayList("synth", "--out", synth.out, "--count", "" + synth.count,
                "--test-count", "" + synth.testCount, "--seed", "" + synth.seed,
                "--merger-fraction", "" + synth.mergerFraction, "--noise", "" + synth.noise, "--size", "" + synth.size);
            if (synth.testMergerFraction != null) {
              a.addAll(List.of("--test-merger-fraction", "" + synth.testMergerFraction));
            }
            invoke(a, c -> synth.out);
            return synth.out;
          });
          // Ingest fingerprints its own inputs and skips an unchanged re-run itself.
          case "ingest" -> {
            List<String> a = Lists.newArrayList("ingest", "--images", ingest.images, "--out", ingest.out,
                "--expected-size", "" + ingest.expectedSize, "--crop-size", "" + ingest.cropSize,
                "--output-size", "" + ingest.outputSize, "--augment", "" + ingest.augment);
            if (ingest.labels != null) {
              a.addAll(List.of("--labels", ingest.labels));
            }
            a.addAll(runner.args());
            invoke(a, c -> ingest.out);
          }
          case "explore" -> stage(ledger, "explore", ledgerKey(fp(flat, "explore"), ingestFp),
              Path.of(ingest.out, "explore", "report.html"), () -> {
            List<String> a = Lists.newArrayList("explore", "--data", ingest.out, "--experiment", experiment,
                "--sample-size", "" + explore.sampleSize);
            a.addAll(runner.args());
            return invoke(a, c -> "explored");
          });
          case "train" -> trainRuns.addAll(train(cfg, sweep, ledger, ingestFp, experiment));
          case "evaluate" -> {
            for (String model : trainRuns) {
              stage(ledger, "evaluate " + model, ledgerKey(fp(flat, "evaluate"), model, ingestFp), null, () -> {
                List<String> a = Lists.newArrayList("evaluate", "--model", model, "--data", ingest.out);
                if (evaluate.tta) {
                  a.add("--tta");
                }
                a.addAll(runner.args());
                return invoke(a, c -> "evaluated");
              });
            }
          }
          case "mergers" -> {
            if (mergers.images == null) {
              throw new UserError(file + ": 'mergers.images' is not set (the unlabelled images to measure)");
            }
            String model = bestOf(trainRuns);
            List<String> a = Lists.newArrayList("mergers", "--model", model, "--images", mergers.images,
                "--threshold", "" + mergers.threshold);
            if (mergers.truth != null && Files.isRegularFile(Path.of(mergers.truth))) {
              a.addAll(List.of("--truth", mergers.truth));
            }
            a.addAll(runner.args());
            CommandLine cl = Gz.commandLine();
            execute(cl, a);
            mergerResult = Optional.ofNullable(
                ((MergersCommand) cl.getSubcommands().get("mergers").getCommand()).lastResult());
          }
          case "compare" -> {
            if (trainRuns.size() < 2) {
              System.out.println("gz run: compare needs two or more trained runs (a sweep); skipped");
            } else {
              List<String> a = Lists.newArrayList("compare", "--experiment", experiment);
              a.addAll(trainRuns);
              invoke(a, c -> "compared");
            }
          }
          default -> throw new IllegalStateException(stage);
        }
      }
      status = RunStatus.FINISHED;
    } finally {
      System.clearProperty(Tracking.PARENT_RUN_PROPERTY);
      parent.end(status);
      tracking.close();
    }
    outcome = new Outcome(parent.runId(), trainRuns, mergerResult);
    System.out.println("gz run: done; parent run " + parent.runId() + " with " + trainRuns.size() + " trained model(s)"
        + tracking.trackingUri().map(u -> "; MLflow UI: " + u).orElse(""));
    return 0;
  }

  /** Trains the config, or every point of its sweep grid; returns the run ids. */
  private List<String> train(ExperimentConfigFile cfg, StageSections.Sweep sweep,
      StageLedger ledger, String ingestFp, String experiment) {
    List<ExperimentConfigFile> points = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Map.Entry<String, List<Object>>> axes = new ArrayList<>(sweep.grid.entrySet());
    List<List<Object>> grid = Lists.cartesianProduct(axes.stream().map(Map.Entry::getValue).toList());
    String base = cfg.flatten().getOrDefault("train.run-name", "train");
    for (List<Object> values : grid) {
      ExperimentConfigFile point = cfg;
      List<String> label = new ArrayList<>();
      for (int i = 0; i < values.size(); i++) {
        point = point.with("train." + axes.get(i).getKey(), values.get(i));
        label.add(axes.get(i).getKey() + "=" + values.get(i));
      }
      String name = label.isEmpty() ? base : base + " " + String.join(" ", label);
      points.add(point.with("train.run-name", name));
      names.add(name);
    }
    List<String> runs = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      ExperimentConfigFile point = points.get(i);
      Path yaml = Path.of(".gz-run", experiment, "train-" + i + ".yaml");
      String fingerprint = ledgerKey(fp(point.flatten(), "train"), ingestFp);
      runs.add(stage(ledger, "train " + names.get(i), fingerprint, null, () -> {
        try {
          Files.createDirectories(yaml.getParent());
          Files.writeString(yaml, point.toYaml());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return invoke(List.of("train", "--config", yaml.toString()),
            c -> ((TrainCommand) c.getSubcommands().get("train").getCommand()).lastRunId());
      }));
    }
    return runs;
  }

  /** The train run with the lowest final validation RMSE (the only one without a sweep). */
  private static String bestOf(List<String> trainRuns) {
    if (trainRuns.isEmpty()) {
      throw new UserError("the mergers stage needs a trained model: add 'train' to the stages");
    }
    if (trainRuns.size() == 1) {
      return trainRuns.get(0);
    }
    try (Tracking tracking = Tracking.fromEnvironment()) {
      return trainRuns.stream()
          .min(Comparator.comparingDouble(
              id -> tracking.getRun(id).latestMetrics().getOrDefault("val_rmse", Double.MAX_VALUE)))
          .orElseThrow();
    }
  }

  /**
   * Runs a stage unless the ledger holds the same fingerprint and its output is still there
   * ({@code marker} is a file that must exist, or, for run ids, the run's local folder).
   */
  private String stage(StageLedger ledger, String name, String fingerprint, Path marker,
      Supplier<String> body) {
    Optional<String> previous = force ? Optional.empty() : ledger.done(name, fingerprint);
    if (previous.isPresent() && outputExists(previous.get(), marker)) {
      System.out.println("gz run: " + name + ": unchanged since its last success (" + previous.get() + "); skipped");
      return previous.get();
    }
    String output = body.get();
    ledger.record(name, fingerprint, output);
    return output;
  }

  private static boolean outputExists(String output, Path marker) {
    if (marker != null) {
      return Files.exists(marker);
    }
    if (!RUN_ID.matcher(output).matches()) {
      return true; // nothing on disk to check (e.g. an evaluation logged to its run)
    }
    try (Tracking tracking = Tracking.fromEnvironment()) {
      return Files.isDirectory(tracking.runsDir().resolve(output));
    }
  }

  /** MLflow run ids (and local run folder names) are 32 hex digits. */
  private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{32}");

  /** Runs a gz subcommand in this JVM; a non-zero exit fails the whole run. */
  private static String invoke(List<String> args, Function<CommandLine, String> result) {
    CommandLine cl = Gz.commandLine();
    execute(cl, args);
    return result.apply(cl);
  }

  /** Runs {@code gz <args>} on {@code cl}; a non-zero exit is a {@link UserError} naming the stage. */
  static void execute(CommandLine cl, List<String> args) {
    System.out.println("gz run: gz " + String.join(" ", args));
    int code = cl.execute(args.toArray(String[]::new));
    if (code != 0) {
      throw new UserError("stage 'gz " + args.get(0) + "' failed (exit " + code + "); see its message above");
    }
  }

  private static void banner(String stage) {
    System.out.println();
    System.out.println("==== " + stage + " ====");
  }

  /** The config keys below one section, as one string. */
  private static String fp(Map<String, String> flat, String section) {
    return flat.entrySet().stream()
        .filter(e -> e.getKey().startsWith(section + "."))
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining("\n"));
  }

  private static String ledgerKey(String... parts) {
    return StageLedger.fingerprint(parts);
  }

  private static String baseName(Path file) {
    String n = file.getFileName().toString();
    return n.endsWith(".yaml") ? n.substring(0, n.length() - 5) : n;
  }
}
