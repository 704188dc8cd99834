package org.gzpipelines.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gzpipelines.evaluate.EvaluateParams;
import org.gzpipelines.evaluate.RealSampleParams;
import org.gzpipelines.ingest.IngestParams;
import org.gzpipelines.mergers.MergerFractionEstimator;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.report.Numbers;
import org.gzpipelines.run.PipelineRunner;
import org.gzpipelines.run.Study;
import org.gzpipelines.tracking.Tracking;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gz demo}: the whole job on generated data with known truth, on the Direct runner --
 * {@code gz run --config configs/demo.yaml} (synth, ingest, explore, train with the mean-label
 * baseline beside the CNN, evaluate, mergers, the trained model on the bundled real Galaxy Zoo
 * sample, compare), then where to look.
 */
@Command(
    name = "demo",
    header = "The whole job on generated data with known truth (the README's main job).",
    mixinStandardHelpOptions = true,
    description = "The main job end to end on a generated labelled set and an unlabelled test set with a "
        + "known merger fraction: synth -> ingest -> explore -> train (a CNN, and the mean-label baseline "
        + "beside it) -> evaluate -> mergers (configs/demo.yaml), then the model on the bundled real "
        + "Galaxy Zoo sample (samples/gz2-real), then the two models' validation curves on one figure "
        + "(compare). Minutes on 2 cores. The ./gz wrapper starts a local MLflow server "
        + "first unless MLFLOW_TRACKING_URI is set.")
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--config", description = "Demo config (default: configs/demo.yaml of this checkout).")
  Path config;

  @Option(names = "--count", description = "Labelled galaxies to generate (default: the config's synth.count).")
  Integer count;

  @Option(names = "--test-count", description = "Unlabelled test galaxies to generate (default: the config's synth.test-count).")
  Integer testCount;

  @Option(names = "--max-images", description = "Training budget in images seen (default: the config's train.max-images).")
  Long maxImages;

  @Option(names = "--work", description = "Folder for the generated and ingested data (default: the config's, demo/).")
  Path work;

  @Option(names = "--force", description = "Run every stage again, even those whose outputs are up to date.")
  boolean force;

  /** What the last {@link #call} produced, for tests. */
  record Outcome(Study.Outcome run) {}

  private Outcome lastOutcome;

  Outcome lastOutcome() {
    return lastOutcome;
  }

  @Override
  public Integer call() throws Exception {
    Path home = Path.of(System.getProperty("gz.home", "."));
    Path file = config != null ? config : home.resolve("configs/demo.yaml");
    ExperimentConfigFile cfg = ExperimentConfigFile.load(file);
    if (count != null) {
      cfg = cfg.with("synth.count", count);
    }
    if (testCount != null) {
      cfg = cfg.with("synth.test-count", testCount);
    }
    if (maxImages != null) {
      cfg = cfg.with("train.max-images", maxImages);
    }
    if (work != null) {
      cfg = cfg.with("synth.out", work.resolve("synth").toString()).with("ingest.out", work.resolve("data").toString())
          .with("real-sample.output", work.resolve("real-sample").toString());
    }
    // The bundled real sample lives in the checkout, wherever gz runs from; relative where gz runs in
    // the checkout, as `gz run --config configs/demo.yaml` names it, so the two share its fingerprint.
    RealSampleParams realSample = cfg.section("real-sample", RealSampleParams.class);
    if (realSample.sample != null) {
      Path here = Path.of("").toAbsolutePath();
      Path sample = home.resolve(realSample.sample).toAbsolutePath().normalize();
      cfg = cfg.with("real-sample.sample", (sample.startsWith(here) ? here.relativize(sample) : sample).toString());
    }
    String experiment = cfg.experimentName();
    Study.Outcome outcome = new Study(cfg, file, PipelineRunner.direct(), force).run();
    IngestParams ingest = cfg.section("ingest", IngestParams.class);
    String modelRun = outcome.trainRunIds().get(0);
    try (Tracking tracking = Tracking.fromEnvironment()) {
      System.out.println();
      System.out.println("==== where to look ====");
      System.out.println("MLflow UI:        " + tracking.experimentPage(experiment).map(u -> u + "  (experiment '" + experiment + "')")
          .orElse(tracking.destination()));
      System.out.println("parent run:       " + outcome.parentRunId());
      System.out.println("explore report:   " + Path.of(ingest.out, "explore", "report.html").toAbsolutePath());
      System.out.println("model run folder: " + tracking.runsDir().resolve(modelRun));
    }
    if (cfg.section("stages", Study.StageList.class).contains("evaluate")) {
      EvaluateParams evaluate = cfg.section("evaluate", EvaluateParams.class);
      System.out.println("model evaluation: " + Path.of(evaluate.output != null ? evaluate.output : "evaluations").toAbsolutePath()
          + "  (a folder per evaluate run: figures/true-vs-predicted.png, figures/extremes-*.png)");
    }
    outcome.mergers().ifPresent(m -> {
      MergerFractionEstimator.Estimate e = m.estimate();
      System.out.println("merger report:    " + m.report().html().toAbsolutePath());
      Numbers.Shown corrected = Numbers.percentInterval(e.corrected().value(), e.corrected().low(), e.corrected().high());
      System.out.printf(Locale.ROOT, "merger fraction:  estimated %s, true %s%s%n",
          Double.isNaN(e.corrected().value()) ? "n/a" : String.format(Locale.ROOT, "%s (%s, %d%% interval)",
              corrected.value(), corrected.range(), Math.round(100 * e.confidence())),
          m.trueFraction().isPresent() ? Numbers.percent(m.trueFraction().getAsDouble()) : "unknown",
          m.reliability().reliable() ? "" : "; UNRELIABLE (see the merger report)");
    });
    // The real sample's table, its rows under the first line's text.
    String label = "real sample:      ";
    outcome.realSample().ifPresent(r ->
        System.out.println(label + r.toString().replace("\n", "\n" + " ".repeat(label.length()))));
    outcome.comparison().ifPresent(f -> System.out.println("model comparison: " + f));
    printNext(modelRun);
    lastOutcome = new Outcome(outcome);
    return 0;
  }

  /** infra/mlflow/stop.sh finds the server by the same variables start.sh was given: repeat them. */
  private static String stopCommand() {
    StringBuilder command = new StringBuilder();
    for (String name : new String[] {"GZ_CACHE_DIR", "GZ_MLFLOW_STATE_DIR"}) {
      String value = System.getenv(name);
      if (value != null && !value.isBlank()) {
        command.append(name).append('=').append(value).append(' ');
      }
    }
    return command.append("bash infra/mlflow/stop.sh").toString();
  }

  /**
   * The commands a user runs next with the demo's model, and how to keep tracking to its server.
   * Their own images get gz mergers' default decision (called at Class8.6 >= 0.4, as in the
   * literature), not the demo's auto, which suits images like its validation split.
   */
  private static void printNext(String modelRun) {
    System.out.println();
    System.out.println("==== next ====");
    System.out.println("your own images:  ./gz mergers --model " + modelRun + " --images <folder of <GalaxyID>.jpg>");
    System.out.println("                  (called at gz mergers' default Class8.6 >= 0.4; the demo's synthetic test"
        + " called at auto, see configs/demo.yaml. On a few hundred real galaxies or more, a model trained on synthetic ones is"
        + " expected to raise the DOMAIN SHIFT warning and mark the corrected fraction unreliable, and its"
        + " corrected fraction to change with the decision; on a few dozen the check has too little to go on."
        + " To measure real galaxies, train on the Kaggle set's real labels: docs/USER-GUIDE.md, section 1)");
    System.out.println("real galaxies:    ./gz real-sample --model " + modelRun
        + " --sample <folder with spirals/ and non_spirals/>");
    // gz's wrapper started the server for the demo: a new shell's commands would track offline.
    if (System.getenv("GZ_DEMO_STARTED_MLFLOW") != null) {
      System.out.println("track them there: export MLFLOW_TRACKING_URI=" + System.getenv("MLFLOW_TRACKING_URI")
          + "   (the demo's server keeps running; stop it with: " + stopCommand() + ")");
    }
  }
}
