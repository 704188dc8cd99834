package org.gzpipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.gzpipelines.model.testing.SyntheticShards;
import org.gzpipelines.model.testing.TrainConfigs;
import org.gzpipelines.testing.GzProcess;
import org.gzpipelines.tracking.MetricPoint;
import org.gzpipelines.tracking.MlflowTestServer;
import org.gzpipelines.tracking.RunSummary;
import org.gzpipelines.tracking.Tracking;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real signals to a real {@code gz train} in a child JVM, tracked on the real MLflow test server:
 * Ctrl-C (SIGINT) stops at a safe point with the run KILLED everywhere and a resume that finishes
 * the same run; kill -9 leaves the run RUNNING only until {@code gz sync} marks it KILLED.
 */
class TrainSignalsTest {

  private static final Duration START = Duration.ofMinutes(3);
  private static final Pattern RUN_ID = Pattern.compile("gz train: run (\\w+) in experiment");
  private static String uri;

  @TempDir Path dir;
  Path runs;
  Path config;

  @BeforeAll
  static void sharedServer() {
    uri = MlflowTestServer.shared();
  }

  @BeforeEach
  void tinyTraining() throws IOException {
    runs = dir.resolve("runs");
    Path data = new SyntheticShards(16).write(dir.resolve("data"), 320, 64, 5);
    // 30 epochs of 320 tiny images: long enough to be stopped after the first evaluation, short to
    // resume. (10 epochs ran out in about a second on an idle machine, at 2,600-3,000 images/s,
    // before the first evaluation's metric was seen and the signal sent.)
    TrainConfigs.write(dir, "signals", "gz-signals-test", data, """
          architecture: custom-cnn
          custom-cnn: {filters: [8, 16], dense: [32], dropout: 0.0}
          batch-size: 32
          epochs: 30
          max-images: 9600
          eval-every: 320
          seed: 3
        """);
    config = dir.resolve("signals.yaml");
  }

  @Test
  void ctrlCStopsTrainingKilledAndResumeFinishesTheSameRun() throws Exception {
    String runId;
    try (GzProcess train = gz("train", "--config", config.toString())) {
      runId = awaitRunId(train);
      train.await("a first evaluation", START, () -> hasMetric(runId, "val_rmse"));
      train.signal("INT");
      assertEquals(130, train.waitFor(Duration.ofMinutes(2)), train.output());
      assertTrue(train.output().contains("continue with: gz train --resume runs/" + runId), train.output());
    }
    assertEquals("KILLED", local().getRun(runId).status());
    List<MetricPoint> beforeResume;
    try (Tracking server = server()) {
      assertEquals("KILLED", server.getRun(runId).status());
      beforeResume = server.metricHistory(runId, "val_rmse");
    }
    assertTrue(uploadedArtifacts(runId).stream().anyMatch(a -> a.startsWith("model/")), "the model is uploaded");
    assertTrue(uploadedArtifacts(runId).contains("loss-curve.png"), "the loss curve is uploaded");
    assertNoTempFiles();

    try (GzProcess resume = gz("train", "--resume", runId)) {
      assertEquals(0, resume.waitFor(START), resume.output());
      assertTrue(resume.output().contains("gz train: run " + runId + " in experiment"), "continues the same run, id first: "
          + resume.output());
    }
    assertEquals("FINISHED", local().getRun(runId).status());
    try (Tracking server = server()) {
      RunSummary run = server.getRun(runId);
      assertEquals("FINISHED", run.status());
      List<MetricPoint> history = server.metricHistory(runId, "val_rmse");
      assertEquals(beforeResume, history.subList(0, beforeResume.size()), "the points before the stop, exactly");
      assertEquals(9600, history.get(history.size() - 1).step());
      assertEquals(30, history.size(), "one evaluation every 320 images, none twice: " + history);
    }
    assertNoTempFiles();
  }

  @Test
  void aStoppedGzRunContinuesItsTrainingWhenRunAgainAndKeepsOneFinishedByHand() throws Exception {
    Path study = Files.writeString(dir.resolve("study.yaml"), Files.readString(config) + "stages: [train]\n");
    String continued = stopAGzRun(study);
    try (GzProcess again = gz("run", "--config", study.toString())) {
      assertEquals(0, again.waitFor(START), again.output());
      assertTrue(again.output().contains("continuing the training stopped in run " + continued), again.output());
    }
    try (Tracking server = server()) {
      assertEquals("FINISHED", server.getRun(continued).status());
      assertEquals(30, server.metricHistory(continued, "val_rmse").size(), "every evaluation, once");
    }

    // Stopped again under new settings, then finished by hand, the run named as MLflow's clients name it.
    Files.writeString(study, Files.readString(study).replace("seed: 3", "seed: 4"));
    String byHand = stopAGzRun(study);
    try (GzProcess resume = gz("train", "--resume", "runs:/" + byHand)) {
      assertEquals(0, resume.waitFor(START), resume.output());
    }
    try (GzProcess again = gz("run", "--config", study.toString())) {
      assertEquals(0, again.waitFor(START), again.output());
      assertTrue(again.output().contains("was finished since (gz train --resume), in run " + byHand), again.output());
      assertFalse(RUN_ID.matcher(again.output()).find(), "no training run: " + again.output());
    }
  }

  /** Starts gz run on {@code study}, stops it with Ctrl-C after its first evaluation; returns the training run's id. */
  private String stopAGzRun(Path study) throws Exception {
    try (GzProcess run = gz("run", "--config", study.toString())) {
      String runId = awaitRunId(run);
      run.await("a first evaluation", START, () -> hasMetric(runId, "val_rmse"));
      run.signal("INT");
      assertEquals(130, run.waitFor(Duration.ofMinutes(2)), run.output());
      assertTrue(run.output().contains("to continue, run the same command again"), run.output());
      return runId;
    }
  }

  @Test
  void aRunKilledWithSigkillIsMarkedKilledBySyncAtItsLastPoint() throws Exception {
    String runId;
    try (GzProcess train = gz("train", "--config", config.toString())) {
      runId = awaitRunId(train);
      // Metric points reach metrics.csv once a second: wait for one, so the run has a last point.
      train.await("a first checkpoint and metric", START,
          () -> Files.isDirectory(runs.resolve(runId).resolve("train/checkpoint")) && hasMetric(runId, "val_rmse"));
      train.signal("KILL");
      assertEquals(137, train.waitFor(Duration.ofMinutes(1)));
    }
    assertEquals("RUNNING", local().getRun(runId).status());

    StringWriter err = new StringWriter();
    int code = Gz.commandLine().setErr(new PrintWriter(err, true)).execute("sync", "--tracking-uri", uri, runs.toString());
    assertEquals(0, code, err.toString());

    long lastPoint = lastMetricTime(runId);
    assertEquals("KILLED", local().getRun(runId).status());
    try (Tracking server = server()) {
      RunSummary run = server.getRun(runId);
      assertEquals("KILLED", run.status());
      assertEquals(lastPoint, run.endTime(), "ended at its last logged point");
    }
  }

  private GzProcess gz(String... args) throws IOException {
    return GzProcess.start(dir, Map.of(Tracking.URI_ENV, uri, Tracking.RUNS_DIR_ENV, runs.toString()), args);
  }

  private static String awaitRunId(GzProcess p) throws InterruptedException {
    p.await("a run id", START, () -> RUN_ID.matcher(p.output()).find());
    Matcher m = RUN_ID.matcher(p.output());
    assertTrue(m.find());
    return m.group(1);
  }

  private Tracking local() {
    return Tracking.offline(runs);
  }

  private Tracking server() {
    return Tracking.connect(uri, runs);
  }

  private boolean hasMetric(String runId, String key) {
    Path metrics = runs.resolve(runId).resolve("metrics.csv");
    try {
      return Files.exists(metrics) && Files.readString(metrics).contains("\n" + key + ",");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private long lastMetricTime(String runId) throws IOException {
    try (Stream<String> lines = Files.lines(runs.resolve(runId).resolve("metrics.csv"))) {
      return lines.skip(1).mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(',') + 1))).max().orElseThrow();
    }
  }

  /** The artifacts the server confirmed, from the run folder's sync.json. */
  private List<String> uploadedArtifacts(String runId) throws IOException {
    return List.of(new ObjectMapper().readValue(runs.resolve(runId).resolve("sync.json").toFile(), Map.class)
        .get("artifactsConfirmed").toString().replaceAll("[\\[\\] ]", "").split(","));
  }

  private void assertNoTempFiles() throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      List<Path> temp = all.filter(p -> p.getFileName().toString().contains(".tmp")).toList();
      assertTrue(temp.isEmpty(), "temp files left: " + temp);
    }
  }
}
