package org.gzpipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.gzpipelines.model.train.GalaxyTrainer;
import org.gzpipelines.predict.ModelRef;
import org.gzpipelines.run.Study;
import org.gzpipelines.testing.TinyStudy;
import org.gzpipelines.tracking.Tracking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code gz run} on a tiny sweep: every grid point is its own training run under one parent, the
 * comparison runs at the end (with any earlier runs compare.runs names), and a second run with nothing
 * changed skips every stage and opens no stage run; the mean-label baseline is fingerprinted by the keys it reads alone.
 */
class RunCommandTest {

  @Test
  void sweepTrainsEveryPointUnderOneParentAndARerunSkips(@TempDir Path dir) throws Exception {
    String experiment = "gz-run-test-" + System.nanoTime();
    Path config = TinyStudy.config(dir, "sweep", experiment,
        "[synth, ingest, train, compare]", "[8, 16]",
        "sweep:",
        "  grid:",
        "    optimizer.lr: [0.001, 0.0003]");

    Result firstRun = run(config);
    Study.Outcome first = firstRun.outcome;
    assertEquals(2, first.trainRunIds().size(), "one training run per grid point");
    assertTrue(firstRun.output.contains("gz run: 2 training runs: 'tiny optimizer.lr=0.001', 'tiny optimizer.lr=0.0003'"),
        "listed before training, each value as the config writes it:\n" + firstRun.output);
    assertEquals(2, new HashSet<>(first.trainRunIds()).size());
    for (String id : first.trainRunIds()) {
      Path meta = Path.of("runs").resolve(id).resolve("meta.json");
      assertEquals(first.parentRunId(), new ObjectMapper().readTree(meta.toFile()).path("parentRunId").asText(),
          "training run " + id + " is a child of the parent run");
    }

    // gz runs finds the study's runs (from their folders offline, from the server in CI; the offline
    // listing itself: OfflineTrackingTest).
    Result listed = gz("runs", "--experiment", experiment, "--limit", "50");
    for (String id : first.trainRunIds()) {
      assertTrue(listed.output.contains(id), listed.output);
    }
    assertTrue(java.util.regex.Pattern.compile("records_train [0-9,]+ ").matcher(listed.output).find(),
        "a count as a whole number: " + listed.output);

    Result second = run(config);
    assertEquals(first.trainRunIds(), second.outcome.trainRunIds(), "the same trained runs are reused");
    assertNotEquals(first.parentRunId(), second.outcome.parentRunId());
    assertTrue(second.output.contains("synth: unchanged since its last success"), second.output);
    assertTrue(second.output.contains("train tiny optimizer.lr=0.001: unchanged"), second.output);
    assertTrue(second.output.contains("gz run: ingest: ") && second.output.contains("unchanged since its manifest"),
        second.output);
    assertTrue(second.output.contains("compare: unchanged since its last success"), second.output);
    assertEquals(first.comparison(), second.outcome.comparison(), "the first study's comparison");
    assertEquals(List.of(), childrenOf(second.outcome.parentRunId()),
        "nothing changed, so no stage ran: not even an empty ingest run");
    try (Tracking tracking = Tracking.fromEnvironment()) {
      Map<String, String> tags = tracking.getRun(second.outcome.parentRunId()).tags();
      assertEquals(String.join(",", first.trainRunIds()), tags.get(Study.REUSED_RUNS_TAG),
          "the new parent names the runs it reused");
      assertEquals(String.join(",", first.trainRunIds()), tags.get(Study.TRAIN_RUNS_TAG));
      assertTrue(first.trainRunIds().contains(tags.get(ModelRef.STUDY_BEST_RUN_TAG)), tags.toString());
      // The parent's id, as an MLflow user copies a study's, names that best model.
      assertEquals(tags.get(ModelRef.STUDY_BEST_RUN_TAG), ModelRef.resolve(first.parentRunId(), tracking).runId());
      Map<String, String> params = tracking.getRun(first.parentRunId()).params();
      assertFalse(params.containsKey("train.optimizer.lr"), "no run used the base value the grid replaces: " + params);
      assertEquals("[0.001,0.0003]", params.get("sweep.grid.optimizer.lr"));
    }

    // --set overrides a config key for one run: here the stages, so compare does not run, and the
    // sweep's grid (whose keys are dotted train keys), so one point trains, reused.
    Result third = run(config, "--set", "stages=[synth, ingest, train]", "--set", "sweep.grid.optimizer.lr=[0.0003]");
    assertEquals(List.of(first.trainRunIds().get(1)), third.outcome.trainRunIds(), third.output);
    assertTrue(third.outcome.comparison().isEmpty(), third.output);
    // An earlier run named in compare.runs is drawn beside the study's own (the one point trained, reused).
    Result beside = run(config, "--set", "sweep.grid.optimizer.lr=[0.0003]",
        "--set", "compare.runs=[" + first.trainRunIds().get(0).substring(0, 8) + "]");
    String table = Files.readString(beside.outcome.comparison().orElseThrow().resolveSibling("comparison.csv"));
    for (String id : first.trainRunIds()) {
      assertTrue(table.contains("," + id + ","), table);
    }
    try (Tracking tracking = Tracking.fromEnvironment()) {
      assertEquals("[\"" + first.trainRunIds().get(0) + "\"]",
          tracking.getRun(beside.outcome.parentRunId()).params().get("compare.runs"), "logged by its full id");
    }
    String mistyped = refused(config, "--set", "compare.runs=[0123abcd]");
    assertTrue(mistyped.contains("compare.runs: run 0123abcd") && mistyped.contains("no run folder"), mistyped);
    String err = refused(config, "--set", "train.batch-size=32.5");
    assertTrue(err.contains("train.batch-size") && err.contains("(the command line)"), err);
    // A mistyped train key stops the study before its first stage, as any other section's does.
    err = refused(config, "--set", "train.augment.nois=0.1");
    assertTrue(err.contains("unknown key 'train.augment.nois'") && err.contains("noise"), err);
    // A bad value of a key the grid sets is still refused before the study starts, not after its stages.
    err = refused(config, "--set", "train.optimizer.lr=abc");
    assertTrue(err.contains("train.optimizer.lr"), err);
    err = refused(config, "--set", "sweep.grid.train.optimizer.lr=[0.1]");
    assertTrue(err.contains("the command line: sweep.grid key 'train.optimizer.lr'") && err.contains("write 'optimizer.lr'"),
        err);
    // A grid value that breaks another key is named with its grid point, not only with the base file.
    err = refused(config, "--set", "sweep.grid.optimizer.lr=[0.001, 0.000003]");
    assertTrue(err.contains("grid point optimizer.lr=0.000003: ")
        && err.contains("must be in [0, optimizer.lr = 0.000003], was 0.00001: lower schedule.min-lr"), err);
    // A model a later stage names is checked before the study trains, and named by its key.
    err = refused(config, "--set", "mergers.model=zzzz1234", "--set", "stages=[synth, ingest, train, mergers]");
    assertTrue(err.contains("the command line: mergers.model: --model zzzz1234"), err);
    err = refused(config, "--set", "stages=[synth, ingset]");
    assertTrue(err.contains("the command line: unknown stage 'ingset' in 'stages': did you mean 'ingest'?"), err);
    // Without synth, ingest's images are the user's: unset, it stops the study before its parent run opens.
    err = refused(config, "--set", "stages=[ingest, train]");
    assertTrue(err.contains("'ingest.images' is not set"), err);

    // Another setting trains anew; going back to the first reuses its runs, not only the last ones.
    Result other = run(config, "--set", "train.max-images=128");
    assertTrue(other.outcome.trainRunIds().stream().noneMatch(first.trainRunIds()::contains), other.output);
    Result back = run(config);
    assertEquals(first.trainRunIds(), back.outcome.trainRunIds(), back.output);
    assertTrue(back.output.contains("the same inputs and parameters as an earlier success"), back.output);
  }

  @Test
  void theBaselineIsReusedAcrossTheKeysItIgnoresAndRetrainedWhenItsOwnOrItsDataChange(@TempDir Path dir)
      throws Exception {
    Path config = TinyStudy.config(dir, "baseline", "gz-run-test-" + System.nanoTime(),
        "[synth, ingest, train]", "[8]",
        "sweep:",
        "  baseline: true");
    List<String> first = run(config).outcome.trainRunIds();
    assertEquals(2, first.size(), "the CNN, then the baseline");

    // Augmentation and batch size change the CNN, not the label means.
    Result augmented = run(config, "--set", "train.augment.noise=0.03", "--set", "train.batch-size=32");
    List<String> ids = augmented.outcome.trainRunIds();
    assertNotEquals(first.get(0), ids.get(0), "the CNN trains anew:\n" + augmented.output);
    assertEquals(first.get(1), ids.get(1), augmented.output);
    assertTrue(augmented.output.contains("train tiny baseline: unchanged since its last success ("
        + first.get(1) + "); skipped"), augmented.output);

    // A key the baseline reads: its RMSE is measured on fewer validation images.
    Result fewerVal = run(config, "--set", "train.val-max-images=20");
    assertNotEquals(first.get(1), fewerVal.outcome.trainRunIds().get(1), fewerVal.output);

    // A study of the training alone reads the same data, so reuses both models; so does one that
    // ingests the same images again (ingest writes the same shards).
    Result trainOnly = run(config, "--set", "stages=[train]", "--set", "train.data=" + dir.resolve("data"));
    assertEquals(first, trainOnly.outcome.trainRunIds(), trainOnly.output);
    // evaluate.model names the one model to evaluate, here the baseline, as the later stages' model keys do.
    Result evaluated = run(config, "--set", "stages=[evaluate]", "--set", "evaluate.data=" + dir.resolve("data"),
        "--set", "evaluate.model=" + first.get(1));
    assertTrue(evaluated.output.contains("evaluated " + first.get(1) + ":")
        && !evaluated.output.contains("evaluated " + first.get(0)), evaluated.output);
    // A grid of architectures x network keys trains the baseline, which reads none of them, once.
    Result grid = run(config, "--set", "sweep.grid.architecture=[custom-cnn, mean-baseline]",
        "--set", "sweep.grid.custom-cnn.filters=[[8], [4]]");
    assertEquals(3, grid.outcome.trainRunIds().size(), grid.output);
    assertTrue(grid.output.contains("gz run: grid point architecture=mean-baseline custom-cnn.filters=[4] trains what"
        + " 'tiny architecture=mean-baseline' trains (mean-baseline reads none of the keys that differ); trained once"),
        "named by the keys it reads:\n" + grid.output);
    assertTrue(grid.output.contains("WARNING: the mean-label baseline"), "256 images teach the tiny CNN less than the"
        + " label means:\n" + grid.output);
    // Whatever its RMSE, the later stages use a network, not the baseline, which predicts one answer for all.
    try (Tracking tracking = Tracking.fromEnvironment()) {
      String best = tracking.getRun(grid.outcome.parentRunId()).tags().get(ModelRef.STUDY_BEST_RUN_TAG);
      assertEquals("custom-cnn", tracking.getRun(best).tags().get(GalaxyTrainer.ARCHITECTURE_TAG), grid.output);
    }
    Result reingested = run(config, "--set", "ingest.force=true");
    assertEquals(first, reingested.outcome.trainRunIds(), reingested.output);

    // Other data: the synthetic sky, so the ingested set, changes.
    Result otherData = run(config, "--set", "synth.seed=7");
    assertTrue(otherData.outcome.trainRunIds().stream().noneMatch(first::contains), otherData.output);
    assertNotEquals(fewerVal.outcome.trainRunIds().get(1), otherData.outcome.trainRunIds().get(1));
  }

  /** The ids of the runs (in the offline runs folder) whose parent is {@code parent}. */
  private static List<String> childrenOf(String parent) throws Exception {
    List<String> children = new ArrayList<>();
    try (var runs = Files.list(Path.of("runs"))) {
      for (Path run : runs.toList()) {
        Path meta = run.resolve("meta.json");
        if (Files.isRegularFile(meta) && parent.equals(new ObjectMapper().readTree(meta.toFile()).path("parentRunId").asText())) {
          children.add(run.getFileName().toString());
        }
      }
    }
    return children;
  }

  /** Runs gz run expecting it to refuse before any stage; returns what it printed as the error. */
  private static String refused(Path config, String... more) {
    CommandLine cl = Gz.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      List<String> args = new ArrayList<>(List.of("run", "--config", config.toString()));
      args.addAll(List.of(more));
      assertEquals(2, cl.execute(args.toArray(String[]::new)), err.toString());
    } finally {
      System.setOut(previous);
    }
    assertFalse(out.toString(StandardCharsets.UTF_8).contains("parent run"), "no run started: " + out);
    return err.toString();
  }

  private record Result(Study.Outcome outcome, String output) {}

  private static Result run(Path config, String... more) {
    List<String> args = new ArrayList<>(List.of("run", "--config", config.toString()));
    args.addAll(List.of(more));
    return gz(args.toArray(String[]::new));
  }

  /** Runs a gz command that must succeed; the outcome is that of gz run (null for other commands). */
  private static Result gz(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      CommandLine cl = Gz.commandLine();
      int code = cl.execute(args);
      System.setOut(previous);
      String output = bytes.toString(StandardCharsets.UTF_8);
      assertEquals(0, code, output);
      return new Result(((RunCommand) cl.getSubcommands().get("run").getCommand()).outcome(), output);
    } finally {
      System.setOut(previous);
    }
  }
}
