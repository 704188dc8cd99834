package org.gzpipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.gzpipelines.run.StageContext;
import org.gzpipelines.run.Study;
import org.gzpipelines.testing.TinyStudy;
import org.gzpipelines.tracking.MlflowPython;
import org.gzpipelines.tracking.MlflowTestServer;
import org.gzpipelines.tracking.Provenance;
import org.gzpipelines.tracking.RunSummary;
import org.gzpipelines.tracking.Tracking;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A tiny {@code gz run} of every stage, with the mean-label baseline trained beside the CNN, as a
 * user of MLflow finds it through MLflow's own Python client against the real server: both
 * training runs and the comparison of the two, the training loss history, and the provenance tags
 * the user guide lists on every run of the study.
 */
class MlflowStudyTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Every run of the experiment (one study) with its tags and metric names, and a loss history. */
  private static final String RUNS = """
      import hashlib, json, sys
      import mlflow
      from mlflow import MlflowClient

      experiment, train_run = sys.argv[1:3]
      client = MlflowClient()
      experiment_id = client.get_experiment_by_name(experiment).experiment_id
      runs = client.search_runs([experiment_id], max_results=1000)
      parent = next(r for r in runs if r.data.tags.get("gz.stage") == "run")
      config = mlflow.artifacts.download_artifacts(run_id=parent.info.run_id, artifact_path="config.yaml")
      print(json.dumps({
          "runs": [{"id": r.info.run_id, "name": r.info.run_name, "status": r.info.status,
                    "tags": r.data.tags, "metrics": sorted(r.data.metrics), "params": sorted(r.data.params)}
                   for r in runs],
          "parent_config_sha256": hashlib.sha256(open(config, "rb").read()).hexdigest(),
          "train_loss": [{"step": m.step, "value": m.value}
                         for m in client.get_metric_history(train_run, "train_loss")],
          "trained_best_val_rmse": min(m.value for r in runs if r.data.tags.get("gz.stage") == "train"
                                       and r.data.tags.get("gz.architecture") != "mean-baseline"
                                       for m in client.get_metric_history(r.info.run_id, "val_rmse")),
          "parent_best_val_rmse": parent.data.metrics["best_val_rmse"],
      }))
      """;

  /** The provenance tags docs/USER-GUIDE.md (section 4) promises on every run. */
  private static final List<String> EVERY_RUN = List.of("gz.stage", Provenance.GIT_COMMIT, Provenance.GIT_DIRTY,
      Provenance.CONFIG_SHA256, Provenance.CONFIG_PATH, Provenance.JAVA_VERSION, Provenance.DJL_VERSION,
      Provenance.BEAM_VERSION, Provenance.HOST, Provenance.COMMAND, "mlflow.source.name", "mlflow.source.type");

  /** The stages that read (or, ingest, write) the ingested data, whose manifest hash they carry. */
  private static final Set<String> READ_DATA = Set.of("ingest", "explore", "train", "evaluate", "mergers");

  @TempDir static Path dir;
  private static String experiment;
  private static Path config;
  private static Study.Outcome outcome;
  private static JsonNode seen;
  private static Map<String, JsonNode> runsById;

  @BeforeAll
  static void runTheStudy() throws Exception {
    String uri = MlflowTestServer.shared();
    System.setProperty(Tracking.URI_PROPERTY, uri);
    experiment = "gz-study-test-" + System.nanoTime();
    Path repo = Path.of("").toAbsolutePath().getParent();
    config = TinyStudy.config(dir, "study", experiment,
        "[synth, ingest, explore, train, evaluate, mergers, predict, real-sample, compare]", "[8]",
        "synth: {test-count: 100}",
        // 64 batches of 4, each one's loss logged: a history of 64 points in seconds.
        "train: {batch-size: 4, log-every: 1}",
        "sweep: {baseline: true}",
        "mergers: {output: " + dir.resolve("mergers") + "}",
        "predict: {out: " + dir.resolve("predictions.csv") + "}",
        "real-sample: {sample: " + repo.resolve("samples/gz2-real") + ", output: " + dir.resolve("real-sample") + "}",
        "compare: {output: " + dir.resolve("comparison") + "}");
    outcome = study();
    seen = JSON.readTree(MlflowPython.run(uri, RUNS, experiment, outcome.trainRunIds().get(0)));
    runsById = new HashMap<>();
    for (JsonNode r : seen.path("runs")) {
      runsById.put(r.path("id").asText(), r);
    }
  }

  /** Runs the study's config with gz run. */
  private static Study.Outcome study() {
    CommandLine gz = Gz.commandLine();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = gz.execute("run", "--config", config.toString());
    } finally {
      System.setOut(previous);
    }
    assertEquals(0, code, bytes.toString(StandardCharsets.UTF_8));
    return ((RunCommand) gz.getSubcommands().get("run").getCommand()).outcome();
  }

  @AfterAll
  static void clearTracking() {
    System.clearProperty(Tracking.URI_PROPERTY);
  }

  @Test
  void theBaselineIsTrainedBesideTheCnnAndComparedWithIt() throws Exception {
    List<String> trained = outcome.trainRunIds();
    assertEquals(2, trained.size(), "the CNN and the baseline");
    JsonNode cnn = runsById.get(trained.get(0));
    JsonNode baseline = runsById.get(trained.get(1));
    assertEquals("tiny", cnn.path("name").asText());
    assertEquals("tiny baseline", baseline.path("name").asText());
    for (JsonNode r : List.of(cnn, baseline)) {
      assertEquals("FINISHED", r.path("status").asText(), r.path("name").asText());
      assertEquals(outcome.parentRunId(), r.path("tags").path("mlflow.parentRunId").asText(), "a child of the study");
      assertTrue(metrics(r).contains("val_rmse"), r.path("name") + " has its validation RMSE");
    }

    Path figure = outcome.comparison().orElseThrow(() -> new AssertionError("compare ran"));
    assertTrue(Files.size(figure) > 0, "the figure " + figure);
    String table = Files.readString(figure.resolveSibling("comparison.csv"));
    JsonNode compare = runsById.values().stream()
        .filter(r -> "compare".equals(r.path("tags").path("gz.stage").asText())).findFirst().orElseThrow();
    for (String id : trained) {
      assertTrue(table.contains(id), "run " + id + " in the comparison table:\n" + table);
      assertTrue(metrics(compare).contains("best_val_rmse/" + id), "the compare run holds " + id);
    }
  }

  /**
   * What an MLflow user compares studies and models by: the parent's hash is that of the settings
   * in effect (its config.yaml artifact), not of the file; its metrics are the study's results;
   * the runs under a model's run name the study that made them; a training run holds only the train
   * keys it depends on, so the baseline shows no optimiser and no learning rate.
   */
  @Test
  void runsCarryWhatMlflowUsersCompareThemBy() throws Exception {
    JsonNode parent = runsById.get(outcome.parentRunId());
    assertEquals(seen.path("parent_config_sha256").asText(), parent.path("tags").path(Provenance.CONFIG_SHA256).asText());
    assertFalse(Provenance.sha256(config).equals(parent.path("tags").path(Provenance.CONFIG_SHA256).asText()),
        "the config file alone does not hold the settings its extends: chain adds");
    assertTrue(metrics(parent).containsAll(List.of("best_val_rmse", "real_auc_spiral_report", "real_merger_fraction")),
        metrics(parent).toString());
    assertEquals(seen.path("trained_best_val_rmse").asDouble(), seen.path("parent_best_val_rmse").asDouble(), 1e-12,
        "the study's best_val_rmse is its best model's, the lowest evaluation of its networks (not the baseline)");
    for (JsonNode r : seen.path("runs")) {
      String stage = r.path("tags").path("gz.stage").asText();
      if (Set.of("evaluate", "mergers", "predict", "real-sample").contains(stage)) {
        assertEquals(outcome.parentRunId(), r.path("tags").path(StageContext.STUDY_RUN_TAG).asText(), stage);
      }
    }
    List<String> cnn = strings(runsById.get(outcome.trainRunIds().get(0)).path("params"));
    List<String> baseline = strings(runsById.get(outcome.trainRunIds().get(1)).path("params"));
    assertTrue(cnn.contains("train.optimizer.lr") && cnn.contains("train.custom-cnn.filters")
        && cnn.stream().noneMatch(k -> k.startsWith("mergers.") || k.startsWith("train.resnet.")), cnn.toString());
    assertTrue(baseline.contains("train.val-max-images") && baseline.stream().noneMatch(k -> k.startsWith("train.optimizer.")),
        baseline.toString());
    assertFalse(metrics(runsById.get(outcome.trainRunIds().get(1))).contains("lr"));
  }

  @Test
  void gzCompareLogsBesideTheRunsItCompares() throws Exception {
    CommandLine gz = Gz.commandLine();
    PrintStream previous = System.out;
    System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    int code;
    try {
      // --set reaches a key no flag has.
      code = gz.execute(Stream.concat(Stream.of("compare", "--set", "compare.output=" + dir.resolve("by-hand")),
          outcome.trainRunIds().stream()).toArray(String[]::new));
    } finally {
      System.setOut(previous);
    }
    assertEquals(0, code);
    assertTrue(Files.isRegularFile(dir.resolve("by-hand/comparison.csv")));
    try (Tracking tracking = Tracking.fromEnvironment()) {
      List<RunSummary> compares = tracking.findRuns(experiment, "tags.`gz.stage` = 'compare'");
      assertEquals(2, compares.size(), "the study's compare run and this one, in the compared runs' experiment");
      assertTrue(compares.stream().anyMatch(r -> !r.tags().containsKey("mlflow.parentRunId")), "this one is top-level");
    }
  }

  /**
   * MLflow users compare runs, so a study run again with nothing changed must not add copies of
   * runs that would hold the same numbers: only the parent and the mergers stage (which always
   * measures again, its result being what a study reports) are new; ingest, predict, real-sample
   * and compare are skipped before their runs open, and the summaries are those of the first study.
   */
  @Test
  void aStudyRunAgainUnchangedAddsOnlyItsParentAndTheMergersRun() throws Exception {
    try (Tracking tracking = Tracking.fromEnvironment()) {
      Set<String> before = new TreeSet<>(tracking.findRuns(experiment, "").stream().map(RunSummary::runId).toList());
      Study.Outcome again = study();
      List<String> added = tracking.findRuns(experiment, "").stream().filter(r -> !before.contains(r.runId()))
          .map(r -> r.tags().get("gz.stage")).sorted().toList();
      assertEquals(List.of("mergers", "run"), added);
      assertEquals(outcome.trainRunIds(), again.trainRunIds());
      assertEquals(outcome.realSample(), again.realSample(), "the first study's real-sample summary, read back");
      assertEquals(outcome.comparison(), again.comparison());
    }
  }

  /** gz runs finds a study's runs and their headline numbers on the server, and names a bad filter's reason. */
  @Test
  void gzRunsListsTheStudysRunsAndFiltersThemOnTheServer() {
    String all = gz(0, "runs", "--experiment", experiment, "--limit", "100");
    assertTrue(all.contains(outcome.parentRunId()) && all.contains("best_val_rmse"), all);
    for (String id : outcome.trainRunIds()) {
      assertTrue(all.contains(id), id + " in\n" + all);
    }
    String trained = gz(0, "runs", "--experiment", experiment, "--filter", "tags.`gz.stage` = 'train'");
    assertTrue(trained.startsWith("2 run(s) of experiment") && !trained.contains(outcome.parentRunId()), trained);
    String cut = gz(0, "runs", "--experiment", experiment, "--limit", "1");
    assertTrue(cut.startsWith("the newest 1 run(s) of experiment") && cut.contains("there are more: --limit 2 shows more"),
        cut);
    String refused = gz(2, "runs", "--filter", "metrics.val_rmse <<< 1");
    assertTrue(refused.contains("search-runs") && !refused.contains("Retrying") && refused.lines().count() == 1, refused);
  }

  /** What gz prints (stdout and stderr) for the arguments, expecting the exit code. */
  private static String gz(int exit, String... args) {
    CommandLine gz = Gz.commandLine();
    java.io.StringWriter err = new java.io.StringWriter();
    gz.setErr(new java.io.PrintWriter(err, true));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = gz.execute(args);
    } finally {
      System.setOut(previous);
    }
    String printed = bytes.toString(StandardCharsets.UTF_8) + err;
    assertEquals(exit, code, printed);
    return printed;
  }

  @Test
  void mlflowsClientReadsTheTrainingLossHistory() {
    JsonNode history = seen.path("train_loss");
    assertTrue(history.size() >= 50, "at least 50 points of train_loss, found " + history.size());
    long previous = 0;
    for (JsonNode point : history) {
      long step = point.path("step").asLong();
      assertTrue(step > previous && step % 4 == 0, "step = images seen, increasing by batches: " + history);
      assertTrue(Double.isFinite(point.path("value").asDouble()));
      previous = step;
    }
    assertTrue(previous <= 256, "no step beyond the 256-image budget");
  }

  @Test
  void everyRunOfTheStudyCarriesTheGuidesProvenanceTags() throws Exception {
    String manifest = Provenance.sha256(dir.resolve("data/manifest.json"));
    Set<String> stages = new TreeSet<>();
    for (JsonNode r : seen.path("runs")) {
      JsonNode tags = r.path("tags");
      String stage = tags.path("gz.stage").asText();
      stages.add(stage);
      String what = "run '" + r.path("name").asText() + "' (" + stage + ")";
      for (String tag : EVERY_RUN) {
        String value = tags.path(tag).asText();
        assertFalse(value.isBlank() || value.equals("unknown") || value.equals("absent"),
            what + " has " + tag + ": '" + value + "'");
      }
      assertTrue(tags.path(Provenance.GIT_COMMIT).asText().matches("[0-9a-f]{40}"), what);
      assertTrue(Set.of("true", "false").contains(tags.path(Provenance.GIT_DIRTY).asText()), what);
      assertTrue(tags.path(Provenance.CONFIG_SHA256).asText().matches("[0-9a-f]{64}"), what);
      if (READ_DATA.contains(stage)) {
        assertEquals(manifest, tags.path(Provenance.DATA_MANIFEST_SHA256).asText(), what + ": the data it read");
      }
    }
    assertEquals(new TreeSet<>(List.of("run", "synth", "ingest", "explore", "train", "evaluate", "mergers", "predict",
        "real-sample", "compare")), stages, "a run for every stage");
  }

  private static List<String> metrics(JsonNode run) {
    return strings(run.path("metrics"));
  }

  private static List<String> strings(JsonNode array) {
    return JSON.convertValue(array, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
  }
}
