package org.gzpipelines.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Runs logged through the module, checked through the real server's REST API. */
class ServerTrackingTest extends ServerTestBase {

  private static String experiment() {
    return "test-" + UUID.randomUUID();
  }

  @Test
  void everythingLoggedIsOnTheServer() throws Exception {
    Map<String, String> config = new LinkedHashMap<>();
    for (int i = 0; i < 250; i++) { // more than one log-batch request of params
      config.put("model.layer" + i + ".filters", String.valueOf(16 * i));
    }
    byte[] weights = new byte[3_000_000];
    new Random(7).nextBytes(weights);
    Path model = Files.write(tmp.resolve("model.params"), weights);
    Path plots = Files.createDirectories(tmp.resolve("plots"));
    Files.writeString(plots.resolve("loss curve.svg"), "<svg/>");
    Files.createDirectories(plots.resolve("val"));
    Files.write(plots.resolve("val/scatter.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1});

    String experiment = experiment();
    List<MetricPoint> logged = new ArrayList<>();
    String runId;
    String childId;
    try (Tracking tracking = Tracking.connect(uri, tmp.resolve("runs"))) {
      TrackedRun run = tracking.startRun(experiment, "cnn");
      runId = run.runId();
      run.logParams(config);
      run.logParam("model", "cnn");
      run.setTag("gz.stage", "train");
      for (int step = 0; step < 2500; step++) { // several batches
        run.logMetric("train/loss", 1.0 / (step + 1), step * 64L);
        if (step % 100 == 0) {
          run.logMetric("val/rmse", 0.3 - step * 1e-5, step * 64L);
        }
      }
      run.logArtifact(model, "model");
      run.logArtifact(plots, "");
      try (TrackedRun child = run.startChild("epoch-1")) {
        childId = child.runId();
        child.logMetric("val/rmse", 0.25, 1);
      }
      run.end(RunStatus.FINISHED);
      logged.addAll(LocalRunFolder.open(run.localDir()).readMetrics());
      RunMeta meta = LocalRunFolder.open(run.localDir()).readMeta();
      assertTrue(meta.synced, "an online run that met no failure is synced");
      assertEquals(runId, meta.serverRunId);

      // The module's own queries.
      List<RunSummary> found = tracking.findRuns(experiment, "params.model = 'cnn'");
      assertEquals(List.of(runId), found.stream().map(RunSummary::runId).toList());
      assertEquals("FINISHED", found.get(0).status());
      assertEquals(
          logged.stream().filter(p -> p.key().equals("val/rmse")).toList(),
          tracking.metricHistory(runId, "val/rmse"));
      RunSummary summary = tracking.getRun(runId);
      assertEquals("train", summary.tags().get("gz.stage"));
      assertEquals("FINISHED", summary.status());
      assertEquals("cnn", summary.params().get("model"));
      assertEquals(0.3 - 2400 * 1e-5, summary.latestMetrics().get("val/rmse"), 1e-12);
    }

    JsonNode info = rest.run(runId).get("info");
    assertEquals("FINISHED", info.get("status").asText());
    assertEquals("cnn", info.get("run_name").asText());
    Map<String, String> params = rest.params(runId);
    assertEquals(251, params.size());
    config.forEach((k, v) -> assertEquals(v, params.get(k), k));
    Map<String, String> tags = rest.tags(runId);
    assertEquals("train", tags.get("gz.stage"));
    for (String provenance : List.of(Provenance.GIT_COMMIT, Provenance.GIT_DIRTY, Provenance.JAVA_VERSION,
        Provenance.DJL_VERSION, Provenance.BEAM_VERSION, Provenance.HOST, Provenance.COMMAND)) {
      assertTrue(tags.containsKey(provenance), provenance);
    }
    for (String key : List.of("train/loss", "val/rmse")) {
      List<MetricPoint> expected = logged.stream().filter(p -> p.key().equals(key)).toList();
      assertEquals(expected, rest.history(runId, key), key);
    }
    assertEquals(2500, rest.history(runId, "train/loss").size());

    Map<String, Long> artifacts = rest.artifacts(runId);
    assertEquals(
        Map.of("model/model.params", (long) weights.length, "plots/loss curve.svg", 6L, "plots/val/scatter.png", 6L),
        artifacts);
    assertArrayEquals(weights, rest.artifact(runId, "model/model.params"));
    assertArrayEquals(Files.readAllBytes(plots.resolve("val/scatter.png")), rest.artifact(runId, "plots/val/scatter.png"));
    assertArrayEquals(Files.readAllBytes(plots.resolve("loss curve.svg")), rest.artifact(runId, "plots/loss curve.svg"));

    assertEquals(runId, rest.tags(childId).get("mlflow.parentRunId"));
    assertEquals("epoch-1", rest.tags(childId).get("mlflow.runName"));
    assertEquals(List.of(new MetricPoint("val/rmse", 0.25, 1, rest.history(childId, "val/rmse").get(0).timestamp())),
        rest.history(childId, "val/rmse"));
  }

  @Test
  void offlineFolderSyncsIntoACompleteRun() throws Exception {
    Path runs = tmp.resolve("runs");
    String experiment = experiment();
    Path report = Files.writeString(tmp.resolve("report.md"), "# merger fraction\n0.031 +- 0.004\n");
    String parentId;
    String childId;
    List<MetricPoint> logged;
    try (Tracking offline = Tracking.offline(runs)) {
      TrackedRun run = offline.startRun(experiment, "sweep");
      parentId = run.runId();
      run.logParams(Map.of("lr", "0.01", "batch", "64"));
      run.setTag("gz.sweep", "lr");
      for (int step = 0; step < 1500; step++) {
        run.logMetric("loss", Math.exp(-step / 500.0), step);
      }
      run.logMetric("weird", Double.NaN, 0);
      run.logArtifact(report, "reports");
      try (TrackedRun child = run.startChild("lr-0.01")) {
        childId = child.runId();
        child.logMetric("val/rmse", 0.12, 10);
      }
      run.end(RunStatus.FAILED);
      logged = LocalRunFolder.open(run.localDir()).readMetrics();
    }
    long startTime = LocalRunFolder.open(runs.resolve(parentId)).readMeta().startTime;
    long endTime = LocalRunFolder.open(runs.resolve(parentId)).readMeta().endTime;

    try (Tracking tracking = Tracking.connect(uri, runs)) {
      List<SyncReport> reports = tracking.sync(runs); // the whole runs dir: parent first, then child
      assertEquals(2, reports.size());
      String serverId = LocalRunFolder.open(runs.resolve(parentId)).readMeta().serverRunId;
      String childServerId = LocalRunFolder.open(runs.resolve(childId)).readMeta().serverRunId;
      assertNotEquals(parentId, serverId, "an offline run gets a new id on the server");

      JsonNode info = rest.run(serverId).get("info");
      assertEquals("FAILED", info.get("status").asText());
      assertEquals(startTime, info.get("start_time").asLong());
      assertEquals(endTime, info.get("end_time").asLong());
      assertEquals("sweep", info.get("run_name").asText());
      assertEquals(Map.of("lr", "0.01", "batch", "64"), rest.params(serverId));
      assertEquals("lr", rest.tags(serverId).get("gz.sweep"));
      assertEquals(logged.stream().filter(p -> p.key().equals("loss")).toList(), rest.history(serverId, "loss"));
      assertTrue(Double.isNaN(rest.history(serverId, "weird").get(0).value()));
      assertArrayEquals(Files.readAllBytes(report), rest.artifact(serverId, "reports/report.md"));
      assertEquals(serverId, rest.tags(childServerId).get("mlflow.parentRunId"));
      assertEquals(1, rest.history(childServerId, "val/rmse").size());
      assertTrue(LocalRunFolder.open(runs.resolve(parentId)).readMeta().synced);

      // Queries by the local id find the synced run.
      assertEquals(1500, tracking.metricHistory(parentId, "loss").size());

      List<SyncReport> again = tracking.sync(runs);
      assertTrue(again.stream().allMatch(SyncReport::alreadySynced), again.toString());
      assertEquals(1500, rest.history(serverId, "loss").size());
      assertEquals(1, tracking.findRuns(experiment, "tags.`gz.sweep` = 'lr'").size());
    }
  }

  @Test
  void aParentSyncedForItsChildIsReportedAndASyncedFolderIsAskedForOnTheServer() throws Exception {
    Path runs = tmp.resolve("runs");
    String parentId;
    String childId;
    try (Tracking offline = Tracking.offline(runs)) {
      TrackedRun run = offline.startRun(experiment(), "study");
      parentId = run.runId();
      try (TrackedRun child = run.startChild("train")) {
        childId = child.runId();
        child.logMetric("val_rmse", 0.2, 1);
      }
      run.end(RunStatus.FINISHED);
    }
    try (Tracking tracking = Tracking.connect(uri, runs)) {
      List<SyncReport> child = tracking.sync(runs.resolve(childId));
      assertEquals(List.of(parentId, childId), child.stream().map(SyncReport::localRunId).toList(),
          "the parent, created for its child, is reported, first");
      assertTrue(child.stream().allMatch(SyncReport::createdOnServer), child.toString());
      List<SyncReport> again = tracking.sync(runs);
      assertEquals(2, again.size(), again.toString());
      assertTrue(again.stream().allMatch(SyncReport::alreadySynced), again.toString());
    }

    // "Already on the server" is asked of the server, never taken from the folder.
    String nowhere = "http://127.0.0.1:" + MlflowTestServer.freePort();
    try (Tracking elsewhere = Tracking.connect(nowhere, runs)) {
      TrackingException e = assertThrows(TrackingException.class, () -> elsewhere.sync(runs));
      assertTrue(e.isUnreachable(), e.getMessage());
    }
    // Fault injection: the folder says it went to a run this server never had (as with another server).
    LocalRunFolder folder = LocalRunFolder.open(runs.resolve(childId));
    RunMeta meta = folder.readMeta();
    String elsewhereId = "0123456789abcdef0123456789abcdef";
    meta.serverRunId = elsewhereId;
    meta.trackingUri = "http://127.0.0.1:5999";
    folder.writeMeta(meta);
    try (Tracking tracking = Tracking.connect(uri, runs)) {
      TrackingException e = assertThrows(TrackingException.class, () -> tracking.sync(runs.resolve(childId)));
      assertTrue(e.getMessage().contains("belongs to run " + elsewhereId + " on http://127.0.0.1:5999, which " + uri
          + " does not have"), e.getMessage());
      assertTrue(e.getMessage().endsWith("sync it to the server it came from"), e.getMessage());
    }
    // That folder does not hold up the others of the runs directory: they are synced, it is named at the end.
    String late;
    try (Tracking offline = Tracking.offline(runs); TrackedRun run = offline.startRun(experiment(), "late")) {
      late = run.runId();
    }
    try (Tracking tracking = Tracking.connect(uri, runs)) {
      List<SyncReport> done = new ArrayList<>();
      TrackingException e = assertThrows(TrackingException.class, () -> tracking.sync(runs, () -> false, done::add));
      assertTrue(e.getMessage().startsWith("1 run folder(s) of " + runs + " could not be synced (the others were):")
          && e.getMessage().contains("belongs to run " + elsewhereId), e.getMessage());
      assertTrue(done.stream().anyMatch(r -> r.localRunId().equals(late) && r.createdOnServer()), done.toString());
    }
  }

  @Test
  void anExperimentIsForModelTrainingAndItsLinkOpensItsRuns() {
    String experiment = experiment();
    try (Tracking tracking = Tracking.connect(uri, tmp.resolve("runs"))) {
      tracking.startRun(experiment, "cnn").end(RunStatus.FINISHED);
      JsonNode e = rest.get("/api/2.0/mlflow/experiments/get-by-name", "experiment_name", experiment).path("experiment");
      JsonNode kind = e.path("tags").findParent("key");
      assertEquals(MlflowRemote.EXPERIMENT_KIND, kind.path("key").asText());
      assertEquals(MlflowRemote.MODEL_TRAINING, kind.path("value").asText());
      // The UI's GenAI / Model training switch, set by the link: the tag alone does not open the runs.
      assertEquals(Optional.of(uri + "/#/experiments/" + e.path("experiment_id").asText() + "?workflowType=machine_learning"),
          tracking.experimentPage(experiment));
      assertEquals(Optional.of(uri), tracking.experimentPage(experiment() + "-never-created"));
    }
    try (Tracking offline = Tracking.offline(tmp.resolve("offline"))) {
      assertEquals(Optional.empty(), offline.experimentPage(experiment));
    }
  }

  @Test
  void metricHistoriesLongerThanOneServerPageComeBackWhole() {
    // The server pages histories by 25,000 points (the MLflow Java client fails on page two).
    try (Tracking tracking = Tracking.connect(uri, tmp.resolve("runs"))) {
      TrackedRun run = tracking.startRun(experiment(), "long");
      for (int step = 0; step < 26_000; step++) {
        run.logMetric("loss", step * 0.5, step);
      }
      run.end(RunStatus.FINISHED);
      List<MetricPoint> local = LocalRunFolder.open(run.localDir()).readMetrics();
      assertEquals(local, tracking.metricHistory(run.runId(), "loss"));
    }
  }

  @Test
  void unreachableServerKeepsTheRunLocalAndSyncExplains() throws Exception {
    String nowhere = "http://127.0.0.1:" + MlflowTestServer.freePort();
    try (Tracking tracking = Tracking.connect(nowhere, tmp.resolve("runs"))) {
      TrackedRun run = tracking.startRun(experiment(), "offline");
      run.logMetric("loss", 1.0, 0);
      run.end(RunStatus.FINISHED);
      assertEquals(1, LocalRunFolder.open(run.localDir()).readMetrics().size());
      assertFalse(LocalRunFolder.open(run.localDir()).readMeta().synced);
      TrackingException e = assertThrows(TrackingException.class, () -> tracking.sync(run.localDir()));
      assertTrue(e.isUnreachable());
      assertTrue(e.getMessage().contains(nowhere) && e.getMessage().contains("infra/mlflow/start.sh"), e.getMessage());
    }
  }

  @Test
  void aRunTheServerLacksIsNamedWithItsFix() {
    Path runs = tmp.resolve("runs");
    String offline;
    try (Tracking local = Tracking.offline(runs); TrackedRun run = local.startRun(experiment(), "offline")) {
      offline = run.runId();
    }
    try (Tracking tracking = Tracking.connect(uri, runs)) {
      String missing = "0123456789abcdef0123456789abcdef";
      TrackingException e = assertThrows(TrackingException.class, () -> tracking.getRun(missing));
      assertTrue(e.getMessage().startsWith("no run " + missing + " on the MLflow server at " + uri + ": check the id"),
          e.getMessage());
      TrackingException unsynced = assertThrows(TrackingException.class, () -> tracking.getRun(offline));
      assertTrue(unsynced.getMessage().contains("tracked offline in " + runs.resolve(offline) + "; upload it with `gz sync "),
          unsynced.getMessage());
    }
  }

  @Test
  void serverErrorsCarryStatusAndMessage() {
    try (Tracking tracking = Tracking.connect(uri, tmp.resolve("runs"))) {
      String experiment = experiment();
      tracking.startRun(experiment, "r").close();
      TrackingException bad = assertThrows(TrackingException.class, () -> tracking.findRuns(experiment, "params.lr ~~ 1"));
      assertTrue(bad.getMessage().contains("400"), bad.getMessage());
    }
  }
}
