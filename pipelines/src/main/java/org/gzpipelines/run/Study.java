package org.gzpipelines.run;

import com.google.common.collect.Lists;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.evaluate.Compare;
import org.gzpipelines.evaluate.CompareParams;
import org.gzpipelines.evaluate.EvaluateParams;
import org.gzpipelines.evaluate.Evaluation;
import org.gzpipelines.evaluate.RealSample;
import org.gzpipelines.evaluate.RealSampleParams;
import org.gzpipelines.explore.Explore;
import org.gzpipelines.explore.ExploreParams;
import org.gzpipelines.ingest.Ingest;
import org.gzpipelines.ingest.InputFingerprint;
import org.gzpipelines.ingest.IngestParams;
import org.gzpipelines.mergers.MergerMeasurement;
import org.gzpipelines.mergers.MergersParams;
import org.gzpipelines.model.config.ConfigException;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.model.config.TrainConfig;
import org.gzpipelines.model.data.Manifest;
import org.gzpipelines.model.data.ShardCheck;
import org.gzpipelines.model.train.GalaxyTrainer;
import org.gzpipelines.predict.ModelRef;
import org.gzpipelines.predict.PredictParams;
import org.gzpipelines.predict.Submission;
import org.gzpipelines.synth.Synth;
import org.gzpipelines.synth.SynthOptions;
import org.gzpipelines.synth.SynthParams;
import org.gzpipelines.tracking.ModelVersion;
import org.gzpipelines.tracking.Provenance;
import org.gzpipelines.tracking.RunStatus;
import org.gzpipelines.tracking.TrackedRun;
import org.gzpipelines.tracking.Tracking;
import org.gzpipelines.tracking.TrackingException;
import org.gzpipelines.train.Train;

/**
 * A study: the stages a config names, in order, under one parent run ({@code gz run}, {@code gz
 * demo}). Each stage is called directly with its parameters record, read from its section; later
 * stages default their inputs to what earlier ones wrote. A stage whose inputs and parameters are
 * unchanged since its last success is skipped (fingerprints in {@code .gz-run/<experiment>.json}).
 */
public final class Study {

  /** The stages, in the only order they may run. */
  public static final List<String> STAGES =
      List.of("synth", "ingest", "explore", "train", "evaluate", "mergers", "predict", "real-sample", "compare");

  /** What a study produced ({@code comparison}: the compare stage's figure). */
  public record Outcome(String parentRunId, List<String> trainRunIds, Optional<MergerMeasurement.Result> mergers,
      Optional<RealSample.Summary> realSample, Optional<Path> comparison) {}

  /** MLflow run ids (and local run folder names) are 32 hex digits. */
  private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{32}");

  /** On the parent run: the run ids of its stages that an earlier study ran and this one reused. */
  public static final String REUSED_RUNS_TAG = "gz.reused_runs";

  /** The parent run's artifact holding the study's settings in effect. */
  public static final String EFFECTIVE_CONFIG = "config.yaml";

  /** On the parent run: the run ids of every model the study trained or reused, in training order. */
  public static final String TRAIN_RUNS_TAG = "gz.train_runs";

  /** On the parent run: the registered version of that model ({@code models:/<name>/<version>}). */
  public static final String REGISTERED_MODEL_TAG = "gz.registered_model";

  private final List<String> reused = new ArrayList<>();
  private final ExperimentConfigFile cfg;
  private final Path file;
  private final PipelineRunner runner;
  private final boolean force;

  /**
   * @param cfg the config, overrides applied
   * @param file the file it came from (named in errors, tagged on runs)
   * @param force run every stage, even those whose outputs are up to date
   */
  public Study(ExperimentConfigFile cfg, Path file, PipelineRunner runner, boolean force) {
    this.cfg = cfg;
    this.file = file;
    this.runner = runner;
    this.force = force;
  }

  public Outcome run() throws Exception {
    List<String> stages = stages();
    SynthParams synth = cfg.section("synth", SynthParams.class);
    IngestParams ingest = cfg.section("ingest", IngestParams.class);
    ExploreParams explore = cfg.section("explore", ExploreParams.class);
    EvaluateParams evaluate = cfg.section("evaluate", EvaluateParams.class);
    MergersParams mergers = cfg.section("mergers", MergersParams.class);
    PredictParams predict = cfg.section("predict", PredictParams.class);
    CompareParams compare = cfg.section("compare", CompareParams.class);
    RealSampleParams realSample = cfg.section("real-sample", RealSampleParams.class);
    // Later stages read what earlier ones wrote, unless the config points elsewhere.
    Path synthOut = Path.of(synth.out);
    if (stages.contains("synth")) {
      ingest.images = ingest.images != null ? ingest.images : synthOut.resolve(SynthOptions.KAGGLE_IMAGES_DIR).toString();
      ingest.labels = ingest.labels != null ? ingest.labels : synthOut.resolve(SynthOptions.KAGGLE_LABELS_FILE).toString();
      mergers.images = mergers.images != null ? mergers.images : synthOut.resolve(SynthOptions.KAGGLE_TEST_DIR).toString();
      mergers.truth = mergers.truth != null ? mergers.truth : synthOut.resolve("truth.json").toString();
      predict.images = predict.images != null ? predict.images : synthOut.resolve(SynthOptions.KAGGLE_TEST_DIR).toString();
    }
    ingest.force |= force; // ingest skips itself otherwise
    // The mergers' calibration is the trained model's own validation split: named here, since a saved
    // model's config names its data only in the shared form (relative, or .../<name>).
    if (mergers.validation == null && stages.contains("ingest")) {
      mergers.validation = ingest.out;
    }
    explore.data = explore.data != null ? explore.data : ingest.out;
    evaluate.data = evaluate.data != null ? evaluate.data : ingest.out;
    ExperimentConfigFile trainCfg = stages.contains("ingest") ? cfg.with("train.data", ingest.out) : cfg;
    // Bound now, like the sections above, so that a mistyped train key stops the study before any stage:
    // the base section (a grid that sets a key hides the base's bad value from every point, not from
    // register), then each point's (trainPoints).
    trainCfg.section("train", TrainConfig.class);
    List<ExperimentConfigFile> trainPoints = trainPoints(trainCfg);
    if (stages.contains("train") && trainPoints.size() > 1) {
      System.out.println("gz run: " + trainPoints.size() + " training runs: " + trainPoints.stream()
          .map(point -> "'" + point.flatten().get("train.run-name") + "'").collect(Collectors.joining(", ")));
    }

    if (stages.contains("ingest") && !stages.contains("synth")) {
      // The user's own inputs: a missing or empty one is named now, not as a FAILED study run.
      new Ingest(System.out).check(ingest);
    }

    String experiment = cfg.experimentName();
    StageLedger ledger = StageLedger.open(Path.of(".gz-run", experiment + ".json"));
    try (Tracking tracking = Tracking.fromEnvironment()) {
      // Models and earlier runs the config names are the user's input: a mistyped one stops the study
      // before it trains, not after hours of training with a FAILED parent.
      Map<String, String> namedModels = new LinkedHashMap<>();
      namedModels.put("evaluate", evaluate.model);
      namedModels.put("mergers", mergers.model);
      namedModels.put("predict", predict.model);
      namedModels.put("real-sample", realSample.model);
      // Resolved once: an alias's version is looked up and said once, here.
      Map<String, ModelRef> resolved = new HashMap<>();
      for (Map.Entry<String, String> m : namedModels.entrySet()) {
        if (stages.contains(m.getKey()) && m.getValue() != null) {
          String key = m.getKey() + ".model";
          checked(cfg.originOf(key) + ": " + key, () -> resolved.put(m.getKey(), ModelRef.resolve(m.getValue(), tracking)));
        }
      }
      // A stage's model: the one its key named, else the study's best (a name resolved now).
      BiFunction<String, String, ModelRef> modelOf = (stage, model) ->
          resolved.containsKey(stage) ? resolved.get(stage) : ModelRef.resolve(model, tracking);
      if (stages.contains("compare") && !compare.runs.isEmpty()) {
        checked(cfg.originOf("compare.runs") + ": compare.runs", () -> new Compare(tracking).checkTrainingRuns(compare.runs));
      }
      // By their full ids: a short one names a run only among this machine's run folders.
      List<String> earlierRuns = compare.runs.stream().map(run -> Compare.fullRunId(tracking, run)).toList();
      ExperimentConfigFile logged = earlierRuns.isEmpty() ? cfg : cfg.with("compare.runs", earlierRuns);
      TrackedRun parent = tracking.startRun(experiment, "run " + baseName(file));
      parent.logParams(parentParams(logged));
      parent.setTag("gz.stage", "run");
      String effective = logged.toYaml();
      Provenance.tagConfig(parent, file, effective);
      // The settings in effect, extends: merged and --set applied: what reproduces the study.
      parent.logArtifact(Files.writeString(parent.localDir().resolve(EFFECTIVE_CONFIG), effective), "");
      System.out.println("gz run: parent run " + parent.runId() + " in experiment '" + experiment + "', "
          + tracking.destination());
      StageContext ctx = new StageContext(tracking, parent, experiment, file, runner);
      List<String> trainRuns = new ArrayList<>();
      // Chosen once, after training: each lookup asks the tracking server for every training run.
      Optional<String> best = Optional.empty();
      Optional<MergerMeasurement.Result> mergerResult = Optional.empty();
      Optional<RealSample.Summary> realSampleResult = Optional.empty();
      Optional<Path> comparison = Optional.empty();
      RunStatus status = RunStatus.FAILED;
      try {
        Map<String, String> flat = cfg.flatten();
        // The synthetic sky depends on the generator's code as well as on its section.
        String synthFp = StageLedger.fingerprint(fp(flat, "synth"), CodeFingerprint.of(Synth.class));
        for (String stage : STAGES) {
          if (!stages.contains(stage)) {
            continue;
          }
          banner(stage);
          switch (stage) {
            case "synth" -> stage(ctx, ledger, "synth", synthFp, synthOut.resolve("truth.json"), null, () -> {
              ctx.run("synth", synth.runName(), synth, new Synth());
              return synth.out;
            });
            // Ingest fingerprints its own inputs (its manifest is the ledger); asked before the stage's
            // run opens, so an unchanged re-run leaves no empty ingest run in MLflow.
            case "ingest" -> {
              Ingest ingestStage = new Ingest(System.out);
              Optional<Manifest> current = ingestStage.current(ingest);
              if (current.isPresent()) {
                System.out.println("gz run: ingest: " + ingest.out + " unchanged since its manifest of "
                    + current.get().createdAt() + " (same inputs, parameters and schema, every shard as it lists); skipped");
              } else {
                ctx.run("ingest", ingest.runName(), ingest, ingestStage);
              }
            }
            case "explore" -> stage(ctx, ledger, "explore", StageLedger.fingerprint(fp(flat, "explore"), dataFp(explore.dataDir())),
                explore.reportDir().resolve("report.html"), explore.dataDir(), () -> {
              ctx.run("explore", explore.name(), explore, new Explore());
              return "explored";
            });
            case "train" -> {
              trainRuns.addAll(train(ctx, trainPoints, ledger));
              parent.setTag(TRAIN_RUNS_TAG, String.join(",", trainRuns));
              best = Optional.of(bestOf(tracking, trainRuns));
              parent.setTag(ModelRef.STUDY_BEST_RUN_TAG, best.get());
              register(tracking, best.get(), trainCfg).ifPresent(v -> parent.setTag(REGISTERED_MODEL_TAG, v.uri()));
            }
            case "evaluate" -> {
              String evaluateData = dataFp(Path.of(evaluate.data));
              // Every model the study trained, unless the config names the one to evaluate, as the later stages' model keys do.
              List<String> models = evaluate.model != null ? List.of(evaluate.model) : List.copyOf(trainRuns);
              if (models.isEmpty()) {
                throw new UserError("the evaluate stage needs a trained model: add 'train' to the stages, or set evaluate.model");
              }
              for (String model : models) {
                ModelRef ref = modelOf.apply("evaluate", model);
                stage(ctx, ledger, "evaluate " + model, StageLedger.fingerprint(fp(flat, "evaluate", key -> !key.equals("model")),
                    modelFp(ref), evaluateData), null, Path.of(evaluate.data), () -> {
                  evaluate.model = model;
                  ctx.runWithModel("evaluate", evaluate, ref, Evaluation::new);
                  return "evaluated";
                });
              }
            }
            case "mergers" -> {
              if (mergers.images == null) {
                throw new UserError(file + ": 'mergers.images' is not set (the unlabelled images to measure)");
              }
              mergers.model = mergers.model != null ? mergers.model : trained(best, "mergers");
              if (mergers.truth != null && !Files.isRegularFile(Path.of(mergers.truth))) {
                mergers.truth = null; // a synthetic set without a test truth; real images have none
              }
              mergerResult = Optional.of(ctx.runWithModel("mergers", mergers, modelOf.apply("mergers", mergers.model),
                  ref -> new MergerMeasurement(ref, MergerMeasurement.Settings.defaults())));
            }
            case "predict" -> {
              if (predict.images == null) {
                throw new UserError(file + ": 'predict.images' is not set (the images to predict)");
              }
              predict.model = predict.model != null ? predict.model : trained(best, "predict");
              ModelRef model = modelOf.apply("predict", predict.model);
              Path submission = predict.outputFile().toAbsolutePath();
              // The images by their content's fingerprint, not by how their path was written.
              stage(ctx, ledger, "predict", StageLedger.fingerprint(fp(flat, "predict", key -> !key.equals("images")),
                  modelFp(model), imagesFp(Path.of(predict.images))), submission, null, () -> {
                ctx.runWithModel("predict", predict, model, Submission::new);
                return submission.toString();
              });
            }
            case "real-sample" -> {
              if (realSample.sample == null) {
                throw new UserError(file + ": 'real-sample.sample' is not set (a folder with spirals/ and non_spirals/)");
              }
              realSample.model = realSample.model != null ? realSample.model : trained(best, "real-sample");
              ModelRef model = modelOf.apply("real-sample", realSample.model);
              Path sample = Path.of(realSample.sample);
              String summary = stage(ctx, ledger, "real-sample", StageLedger.fingerprint(
                  fp(flat, "real-sample", key -> !key.equals("sample")),
                  modelFp(model), imagesFp(sample.resolve("spirals")),
                  imagesFp(sample.resolve("non_spirals"))), null, null,
                  () -> ctx.runWithModel("real-sample", realSample, model, RealSample::new).file().toString());
              realSampleResult = Optional.of(RealSample.Summary.read(Path.of(summary)));
            }
            case "compare" -> {
              // The study's own runs beside the earlier ones it names (e.g. last week's best).
              Set<String> runs = new LinkedHashSet<>(earlierRuns);
              runs.addAll(trainRuns);
              if (runs.size() < 2) {
                System.out.println("gz run: compare needs two or more training runs (a sweep, sweep.baseline: true, "
                    + "or earlier runs in compare.runs); skipped");
              } else {
                compare.runs = List.copyOf(runs);
                comparison = Optional.of(Path.of(stage(ctx, ledger, "compare",
                    StageLedger.fingerprint(fp(flat, "compare"), String.join(",", runs)), null, null,
                    () -> ctx.run("compare", "compare", compare, new Compare(tracking)).toString())));
              }
            }
            default -> throw new IllegalStateException(stage);
          }
        }
        logResults(parent, tracking, best, mergerResult, realSampleResult);
        status = RunStatus.FINISHED;
      } catch (StageStopped e) {
        status = RunStatus.KILLED;
        throw e;
      } finally {
        parent.end(status);
        StageContext.remindToSync("run", parent);
      }
      long reusedModels = trainRuns.stream().filter(reused::contains).count();
      System.out.println("gz run: done; parent run " + parent.runId() + " with " + trainRuns.size() + " model(s)"
          + (reusedModels == 0 ? " trained" : ", " + reusedModels + " of them reused from earlier runs")
          + tracking.experimentPage(experiment).map(u -> "; MLflow UI: " + u).orElse(""));
      return new Outcome(parent.runId(), trainRuns, mergerResult, realSampleResult, comparison);
    }
  }

  /**
   * The study's headline numbers on its parent run, so that studies sort and compare in MLflow's
   * runs table as training runs do: the best model's validation RMSE, the corrected merger fraction
   * and the real sample's held-out AUC, from whichever stages ran or were reused.
   */
  private static void logResults(TrackedRun parent, Tracking tracking, Optional<String> best,
      Optional<MergerMeasurement.Result> mergers, Optional<RealSample.Summary> realSample) {
    best.map(id -> tracking.lowestMetric(id, "val_rmse")).filter(rmse -> !Double.isNaN(rmse))
        .ifPresent(rmse -> parent.logMetric("best_val_rmse", rmse, 0));
    mergers.map(m -> m.estimate().corrected()).filter(c -> !Double.isNaN(c.value()))
        .ifPresent(c -> MergerMeasurement.logInterval(parent, "merger_fraction_corrected", c));
    realSample.ifPresent(r -> {
      parent.logMetric("real_auc_spiral_report", r.report().spiral().value(), 0);
      parent.logMetric("real_merger_fraction", r.mergerFraction(), 0);
    });
  }

  private List<String> stages() {
    List<String> stages = cfg.section("stages", StageList.class);
    for (String s : stages) {
      if (!STAGES.contains(s)) {
        throw new UserError(cfg.originOf("stages") + ": unknown stage '" + s + "' in 'stages'"
            + ExperimentConfigFile.closest(s, STAGES).map(k -> ": did you mean '" + k + "'?").orElse("") + " (known: " + STAGES + ")");
      }
    }
    if (stages.isEmpty()) {
      throw new UserError(cfg.originOf("stages") + ": 'stages' is empty; list the stages to run, e.g. stages: [ingest, train]");
    }
    return stages;
  }

  /** {@code stages:}: the stages to run. */
  public static final class StageList extends ArrayList<String> {}

  /**
   * The configs of the runs the train stage makes, each with its run name: every point of the
   * sweep grid (or the config itself), then the mean-label baseline when the sweep asks for it.
   * A run is named by the grid values its architecture reads, and a point that trains what an
   * earlier one trains (the baseline reads none of a network's keys) is left out, so a grid of
   * architectures times network settings trains the baseline once.
   */
  private static List<ExperimentConfigFile> trainPoints(ExperimentConfigFile trainCfg) {
    SweepParams sweep = trainCfg.section("sweep", SweepParams.class);
    List<Map.Entry<String, List<Object>>> axes = new ArrayList<>(sweep.grid.entrySet());
    for (Map.Entry<String, List<Object>> axis : axes) {
      if (axis.getKey().startsWith("train.")) {
        throw new UserError(trainCfg.originOf("sweep.grid." + axis.getKey()) + ": sweep.grid key '" + axis.getKey()
            + "': grid keys are below train., so write '" + axis.getKey().substring("train.".length()) + "'");
      }
    }
    String base = trainCfg.flatten().getOrDefault("train.run-name", "train");
    Map<Map<String, String>, String> trained = new HashMap<>();
    List<ExperimentConfigFile> points = new ArrayList<>();
    for (List<Object> values : Lists.cartesianProduct(axes.stream().map(Map.Entry::getValue).toList())) {
      ExperimentConfigFile point = trainCfg;
      for (int i = 0; i < values.size(); i++) {
        point = point.with("train." + axes.get(i).getKey(), values.get(i));
      }
      Map<String, String> flat = point.flatten();
      String all = gridValues(axes, flat, key -> true);
      TrainConfig section = bound(point, all.isEmpty() ? base : "grid point " + all);
      String label = gridValues(axes, flat, key -> GalaxyTrainer.dependsOn(section, key));
      addUnlessTrained(point.with("train.run-name", label.isEmpty() ? base : base + " " + label), section,
          "grid point " + all, trained, points);
    }
    if (sweep.baseline) {
      ExperimentConfigFile baseline = trainCfg.with("train.architecture", "mean-baseline");
      addUnlessTrained(baseline.with("train.run-name", base + " baseline"), bound(baseline, "sweep.baseline"),
          "sweep.baseline", trained, points);
    }
    return points;
  }

  /** "key=value ..." of the grid axes {@code which} accepts, each value as the run's parameters write it (0.0003, not Java's 3.0E-4). */
  private static String gridValues(List<Map.Entry<String, List<Object>>> axes, Map<String, String> flat,
      Predicate<String> which) {
    return axes.stream().map(Map.Entry::getKey).filter(which)
        .map(key -> key + "=" + flat.get("train." + key)).collect(Collectors.joining(" "));
  }

  /** A point's train section; a bad value is named with the point, since its key's file would blame a base config. */
  private static TrainConfig bound(ExperimentConfigFile point, String which) {
    try {
      return point.section("train", TrainConfig.class);
    } catch (ConfigException e) {
      throw new ConfigException(which + ": " + e.getMessage(), e);
    }
  }

  /** Adds {@code point} unless an earlier one trains the same (the train keys its architecture reads are equal). */
  private static void addUnlessTrained(ExperimentConfigFile point, TrainConfig section, String which,
      Map<Map<String, String>, String> trained, List<ExperimentConfigFile> points) {
    Map<String, String> flat = point.flatten();
    Map<String, String> reads = new TreeMap<>();
    flat.forEach((key, value) -> {
      String k = key.startsWith("train.") ? key.substring("train.".length()) : "";
      if (!k.isEmpty() && !k.equals("run-name") && GalaxyTrainer.dependsOn(section, k)) {
        reads.put(k, value);
      }
    });
    String same = trained.putIfAbsent(reads, flat.get("train.run-name"));
    if (same == null) {
      points.add(point);
    } else {
      System.out.println("gz run: " + which + " trains what '" + same + "' trains (" + section.architecture
          + " reads none of the keys that differ); trained once");
    }
  }

  /**
   * The parent run's parameters: the config, less the train keys the grid sets. Those have no one
   * value in the study; their base values, which no run used, would read as if one had (the grid's
   * lists are there as sweep.grid.*).
   */
  private static Map<String, String> parentParams(ExperimentConfigFile cfg) {
    Set<String> swept = cfg.section("sweep", SweepParams.class).grid.keySet().stream()
        .map(key -> "train." + key).collect(Collectors.toSet());
    Map<String, String> params = new LinkedHashMap<>(cfg.flatten());
    params.keySet().removeIf(key -> swept.stream().anyMatch(s -> key.equals(s) || key.startsWith(s + ".")));
    return params;
  }

  /** Trains every point (see {@link #trainPoints}); returns the run ids. */
  private List<String> train(StageContext ctx, List<ExperimentConfigFile> points, StageLedger ledger)
      throws Exception {
    List<String> runs = new ArrayList<>();
    for (ExperimentConfigFile point : points) {
      runs.add(trainOne(ctx, point, ledger));
    }
    return runs;
  }

  /** One training run (skipped when the ledger has it); returns its run id. */
  private String trainOne(StageContext ctx, ExperimentConfigFile named, StageLedger ledger) throws Exception {
    String name = named.flatten().get("train.run-name");
    TrainConfig section = named.section("train", TrainConfig.class);
    Path data = Path.of(section.data);
    // Only the keys the run depends on: the baseline ignores the network's, and is reused across them.
    String fingerprint = StageLedger.fingerprint(
        fp(named.flatten(), "train", key -> GalaxyTrainer.dependsOn(section, key)), dataFp(data));
    String stage = "train " + name;
    return stage(ctx, ledger, stage, fingerprint, null, data, () -> {
      // A training this study's settings stopped (Ctrl-C) continues from its checkpoint, in its run.
      Optional<Path> checkpoint = ledger.stopped(stage, fingerprint).flatMap(f -> GalaxyTrainer.checkpointIn(Path.of(f)));
      Train train = new Train(named, checkpoint.orElse(null));
      Optional<Path> sameRun = train.runToContinue();
      if (sameRun.isPresent() && RunStatus.FINISHED.name().equals(Tracking.localSummary(sameRun.get()).status())) {
        System.out.println("gz run: " + stage + ": the training this study stopped was finished since (gz train"
            + " --resume), in run " + sameRun.get().getFileName() + "; kept");
        reused.add(sameRun.get().getFileName().toString()); // not trained by this study: counted and tagged as reused
        ctx.parent().setTag(REUSED_RUNS_TAG, String.join(",", reused));
        return sameRun.get().getFileName().toString();
      }
      train.checkData();
      sameRun.ifPresent(run -> System.out.println("gz run: " + stage + ": continuing the training stopped in run "
          + run.getFileName()));
      try {
        return train.runIn(ctx).runId();
      } catch (StageStopped e) {
        train.stoppedIn().ifPresent(folder -> ledger.recordStopped(stage, fingerprint, folder.toAbsolutePath().toString()));
        throw e.continuedBy(null); // this gz run again continues the training
      }
    });
  }

  /**
   * The train run whose best model has the lowest validation RMSE (the only one without a sweep
   * grid or baseline): its best-model is what the later stages use and the registry gets. A
   * network is chosen over the mean-label baseline even when the baseline's RMSE is lower: the
   * baseline predicts the same for every galaxy, so mergers and real-sample would measure nothing;
   * that it won is said, since the networks have not learned.
   */
  private static String bestOf(Tracking tracking, List<String> trainRuns) {
    // Each run's lowest val_rmse and architecture asked of the server once, not per comparison.
    Map<String, Double> rmse = new LinkedHashMap<>();
    Set<String> networks = new HashSet<>();
    for (String id : trainRuns) {
      double lowest = tracking.lowestMetric(id, "val_rmse");
      rmse.put(id, Double.isNaN(lowest) ? Double.MAX_VALUE : lowest);
      if (!TrainConfig.Architecture.MEAN_BASELINE.toString().equals(tracking.getRun(id).tags().get(GalaxyTrainer.ARCHITECTURE_TAG))) {
        networks.add(id);
      }
    }
    Comparator<String> byRmse = Comparator.comparingDouble(rmse::get);
    String best = trainRuns.stream().min(byRmse).orElseThrow();
    Optional<String> bestNetwork = trainRuns.stream().filter(networks::contains).min(byRmse);
    if (bestNetwork.isEmpty() || networks.contains(best)) {
      return best;
    }
    System.out.printf(Locale.ROOT, "gz run: WARNING: the mean-label baseline (run %s, val_rmse %.5f) beats every"
        + " network (best: run %s, %.5f): the networks have not learned yet (train longer: train.max-images); the"
        + " later stages use that network, not the baseline, which predicts the same for every galaxy%n",
        best, rmse.get(best), bestNetwork.get(), rmse.get(bestNetwork.get()));
    return bestNetwork.get();
  }

  /** Runs a check of a config key's value; its refusal names the key ({@code where}: file and key). */
  private static void checked(String where, Runnable check) {
    try {
      check.run();
    } catch (UserError e) {
      throw new UserError(where + ": " + e.getMessage(), e);
    }
  }

  /** The best model of the train stage, for a stage whose section names no model. */
  private static String trained(Optional<String> best, String stage) {
    return best.orElseThrow(() -> new UserError("the " + stage + " stage needs a trained model: add 'train' to the"
        + " stages, or set " + stage + ".model"));
  }

  /**
   * Registers the best trained model in the MLflow Model Registry, as {@code train.registered-model}
   * (default: the experiment's name); while the server lacks the run, {@code gz sync} registers it.
   * A registration that fails otherwise is reported, and the study goes on. Returns the version, if registered now.
   */
  private static Optional<ModelVersion> register(Tracking tracking, String runId, ExperimentConfigFile trainCfg) {
    String given = trainCfg.section("train", TrainConfig.class).registeredModel;
    String name = given != null && !given.isBlank() ? given : trainCfg.experimentName();
    try {
      String model = ModelRef.resolve(runId, tracking.runsDir()).modelDir().getFileName().toString();
      String best = "gz run: best model (run " + runId + ", " + model + ")";
      Optional<ModelVersion> version = tracking.registerModel(runId, model, name);
      System.out.println(version.map(v -> best + (v.created() ? " registered as " : " already registered as ") + v.uri())
          .orElse(best + " is registered as '" + name + "' when `gz sync` uploads the run"));
      // Each study's best is a new version, and so models:/<name>/latest, even when an earlier one is better.
      version.filter(ModelVersion::created).flatMap(v -> tracking.betterVersion(v, "val_rmse")).ifPresent(better ->
          System.out.println("gz run: note: " + better.uri() + " (run " + better.runId() + ") has a lower val_rmse than"
              + " this new version, so models:/" + name + "/latest is not the best; give the one to use an alias"
              + " (MLflow UI, or MlflowClient().set_registered_model_alias) and use models:/" + name + "@<alias>"));
      return version;
    } catch (TrackingException | UserError e) {
      System.out.println("gz run: the best model (run " + runId + ") is not registered: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** A stage's body; returns what the ledger records (a run id or a folder). */
  @FunctionalInterface
  private interface Body {
    String run() throws Exception;
  }

  /**
   * Runs a stage unless the ledger holds the same fingerprint and its output is still there
   * ({@code marker} is a file that must exist, or, for run ids, the run's local folder). The
   * ingest output the stage reads ({@code data}, or null) is checked before a skip as before a
   * read, so a study never reports success over a damaged shard.
   */
  private String stage(StageContext ctx, StageLedger ledger, String name, String fingerprint, Path marker, Path data,
      Body body) throws Exception {
    Optional<String> last = force ? Optional.empty() : ledger.done(name, fingerprint);
    // A run id is never overwritten, so a run from an earlier setting is as good as the last one.
    Optional<String> earlier = force || last.isPresent() ? Optional.empty()
        : ledger.earlier(name, fingerprint).filter(o -> RUN_ID.matcher(o).matches());
    Optional<String> previous = last.or(() -> earlier);
    if (previous.isPresent() && outputExists(previous.get(), marker)) {
      if (data != null) {
        ShardCheck.all(data);
      }
      // The output where it names something (a run id, a folder), not a marker word such as "explored".
      String output = RUN_ID.matcher(previous.get()).matches() || previous.get().contains("/") ? " (" + previous.get() + ")" : "";
      System.out.println("gz run: " + name + ": " + (last.isPresent() ? "unchanged since its last success"
          : "the same inputs and parameters as an earlier success") + output + "; skipped");
      if (earlier.isPresent()) {
        ledger.record(name, fingerprint, previous.get()); // the newest again
      }
      if (RUN_ID.matcher(previous.get()).matches()) {
        // MLflow has one parent per run: the reused run stays under the parent that made it, and this
        // parent names it, so a filter on the tag finds every study that used it.
        reused.add(previous.get());
        ctx.parent().setTag(REUSED_RUNS_TAG, String.join(",", reused));
      }
      return previous.get();
    }
    String output = body.run();
    ledger.record(name, fingerprint, output);
    return output;
  }

  private static boolean outputExists(String output, Path marker) {
    if (marker != null) {
      return Files.exists(marker);
    }
    if (Path.of(output).isAbsolute()) {
      return Files.exists(Path.of(output)); // a file the stage wrote where only the stage knew (real-sample, compare)
    }
    if (!RUN_ID.matcher(output).matches()) {
      return true; // nothing on disk to check (e.g. an evaluation logged to its run)
    }
    try (Tracking tracking = Tracking.fromEnvironment()) {
      return Files.isDirectory(tracking.runsDir().resolve(output));
    }
  }

  private static void banner(String stage) {
    System.out.println();
    System.out.println("==== " + stage + " ====");
  }

  /**
   * What a stage that reads an ingested folder depends on in it: the data itself ({@link
   * Manifest#contentFingerprint}), read when the stage starts, so a study that lists only later
   * stages, or ingests the same images again, reuses what that data already gave. Empty where the
   * folder has no manifest yet: the stage then runs and reports what is missing.
   */
  private static String dataFp(Path data) throws IOException {
    return Manifest.find(data).map(Manifest::contentFingerprint).orElse("");
  }

  /**
   * What a stage that reads raw images depends on in them: their names, sizes and modification
   * times ({@link InputFingerprint}, a stat per file, as ingest uses); empty for a missing folder,
   * which the stage then reports.
   */
  private static String imagesFp(Path images) throws IOException {
    return Files.exists(images) ? InputFingerprint.of(images, null).sha256() : "";
  }

  /**
   * The model a stage uses: its training run, which never changes once finished; a saved model
   * folder without a run is fingerprinted by its files, since it can be written over.
   */
  private static String modelFp(ModelRef model) throws IOException {
    return model.runId() != null ? model.runId() : InputFingerprint.ofFiles(model.modelDir());
  }

  /** The config keys below one section, as one string. */
  private static String fp(Map<String, String> flat, String section) {
    return fp(flat, section, key -> true);
  }

  /** The config keys below one section that {@code keep} accepts (given without the prefix), as one string. */
  private static String fp(Map<String, String> flat, String section, Predicate<String> keep) {
    String prefix = section + ".";
    return flat.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix) && keep.test(e.getKey().substring(prefix.length())))
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining("\n"));
  }

  private static String baseName(Path file) {
    String n = file.getFileName().toString();
    return n.endsWith(".yaml") ? n.substring(0, n.length() - 5) : n;
  }
}
