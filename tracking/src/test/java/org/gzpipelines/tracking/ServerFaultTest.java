package org.gzpipelines.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracking server dies in the middle of a run: the run finishes locally, and a sync after the
 * server is back leaves the server with exactly the run's metric points, each once; and start.sh
 * asked again for a server already up. Uses its own server instance (own port and state), so the
 * shared one is untouched.
 */
class ServerFaultTest {
  @TempDir Path tmp;
  private MlflowTestServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void runSurvivesServerDeathAndSyncCompletesItExactlyOnce() throws Exception {
    server = new MlflowTestServer(tmp.resolve("server"));
    String uri = server.start();
    RestApi rest = new RestApi(uri);
    Path runs = tmp.resolve("runs");
    Path artifact = Files.writeString(tmp.resolve("late.txt"), "logged while the server was down");
    Path model = Files.createDirectories(tmp.resolve("work/best-model"));
    String runId;
    List<MetricPoint> produced;
    try (Tracking tracking = Tracking.connect(uri, runs)) {
      TrackedRun run = tracking.startRun("fault", "dies-mid-run");
      runId = run.runId();
      run.logParam("before", "yes");
      for (int step = 0; step < 1200; step++) {
        run.logMetric("loss", 1.0 / (step + 1), step);
      }
      // The flusher sends what is waiting every second; wait until the server has it all.
      long deadline = System.currentTimeMillis() + 120_000;
      while (rest.history(runId, "loss").size() < 1200 && System.currentTimeMillis() < deadline) {
        Thread.sleep(200);
      }
      assertEquals(1200, rest.history(runId, "loss").size(), "points before the failure reached the server");
      Files.writeString(model.resolve("weights.bin"), "weights when training stopped");
      run.logModel(model, Map.of(), List.of());

      server.stop();
      // A resumed training finishes the model it had logged: new weights under the same name.
      Files.writeString(model.resolve("weights.bin"), "weights at the end of the resumed training");
      run.logModel(model, Map.of(), List.of());
      for (int step = 1200; step < 3000; step++) {
        run.logMetric("loss", 1.0 / (step + 1), step);
        run.logMetric("acc", step / 3000.0, step);
      }
      run.logParam("after", "yes");
      run.setTag("phase", "after-failure");
      run.logArtifact(artifact, "notes");
      run.end(RunStatus.FINISHED);
      produced = LocalRunFolder.open(run.localDir()).readMetrics();
      assertEquals(1200 + 2 * 1800, produced.size());
      assertFalse(LocalRunFolder.open(run.localDir()).readMeta().synced);
      assertTrue(run.lostServer(), "the run knows the server went away, to say so at its end");
      assertEquals("FINISHED", tracking.getRun(runId).status(), "read from its folder while the server is away");
    }

    server.start(); // same state: the run is there, RUNNING, with the first points only
    assertEquals("RUNNING", rest.run(runId).get("info").get("status").asText());
    try (Tracking tracking = Tracking.connect(uri, runs)) {
      // Listed as it ended here, marked as not yet on the server whole, not as the server's stale RUNNING.
      Tracking.ListedRun listed = tracking.latestRuns("fault", "", 5).get(0);
      assertTrue(listed.unsynced(), listed.toString());
      assertEquals("FINISHED", listed.run().status());
      SyncReport report = tracking.sync(runs.resolve(runId)).get(0);
      assertEquals(runId, report.serverRunId());
      assertFalse(report.createdOnServer());
      assertEquals(2 * 1800, report.metricPointsUploaded());

      for (String key : List.of("loss", "acc")) {
        List<MetricPoint> expected = produced.stream().filter(p -> p.key().equals(key)).toList();
        assertEquals(expected, rest.history(runId, key), key); // every point, once, original timestamps
      }
      assertEquals(Map.of("before", "yes", "after", "yes"), rest.params(runId));
      assertEquals("after-failure", rest.tags(runId).get("phase"));
      assertArrayEquals(Files.readAllBytes(artifact), rest.artifact(runId, "notes/late.txt"));
      assertEquals("FINISHED", rest.run(runId).get("info").get("status").asText());
      byte[] finalWeights = Files.readAllBytes(model.resolve("weights.bin"));
      assertArrayEquals(finalWeights, rest.artifact(runId, "best-model/weights.bin"),
          "the run's copy of a model logged again while the server was down");
      ModelVersion version = tracking.registerModel(runId, "best-model", "fault-" + runId).orElseThrow();
      assertArrayEquals(finalWeights, Files.readAllBytes(
          tracking.downloadModel("models:/" + version.modelId(), tmp.resolve("cache")).dir().resolve("weights.bin")),
          "the newest logged model, which the registry takes, holds the final weights");

      SyncReport again = tracking.sync(runs.resolve(runId)).get(0);
      assertTrue(again.alreadySynced() && again.uploadedNothing(), again.toString());
      assertFalse(tracking.latestRuns("fault", "", 5).get(0).unsynced(), "synced: the server's");
      assertEquals(3000, rest.history(runId, "loss").size());
    }
  }

  @Test
  void lostConfirmationsAreReconciledAgainstTheServer() throws Exception {
    String uri = MlflowTestServer.shared();
    RestApi rest = new RestApi(uri);
    Path runs = tmp.resolve("runs");
    String runId;
    try (Tracking tracking = Tracking.connect(uri, runs)) {
      TrackedRun run = tracking.startRun("fault", "lost-answers");
      runId = run.runId();
      for (int step = 0; step < 2500; step++) {
        run.logMetric("loss", 1.0 / (step + 1), step);
      }
      run.end(RunStatus.FINISHED);
      assertFalse(run.lostServer(), "a server that answered throughout");
    }
    // Fault injection: as if the answers to the metric batches were lost (the server got them,
    // the folder never recorded it) and the process died before ending the run on the server.
    LocalRunFolder folder = LocalRunFolder.open(runs.resolve(runId));
    SyncState state = folder.readSync();
    state.metricsConfirmed = 0;
    folder.writeSync(state);
    RunMeta meta = folder.readMeta();
    meta.synced = false;
    folder.writeMeta(meta);

    try (Tracking tracking = Tracking.connect(uri, runs)) {
      SyncReport report = tracking.sync(runs).get(0);
      assertEquals(0, report.metricPointsUploaded(), report.toString());
      assertEquals(2500, rest.history(runId, "loss").size());
      assertEquals(folder.readMetrics(), rest.history(runId, "loss"));
    }
  }

  /**
   * infra/mlflow/start.sh asked again for a checkout whose server runs on another port (the demo
   * was started with GZ_MLFLOW_PORT, the guide's line is typed without it): it prints that server's
   * URL, and refuses a different explicit port with the one to use, where it used to wait two
   * minutes and call a healthy server silent; stopped, it starts again on that port.
   */
  @Test
  void anotherPortFindsTheRunningServerOrNamesItsPort() throws Exception {
    Path state = tmp.resolve("state");
    server = new MlflowTestServer(state);
    String url = server.start();

    Result noPort = startScript(state, null);
    assertEquals(0, noPort.code(), noPort.err());
    List<String> lines = noPort.out().lines().toList();
    assertEquals(url, lines.get(lines.size() - 1), "the running server's URL, for MLFLOW_TRACKING_URI");

    int other = MlflowTestServer.freePort();
    Result otherPort = startScript(state, other);
    assertEquals(1, otherPort.code(), otherPort.out());
    String port = url.substring(url.lastIndexOf(':') + 1);
    assertTrue(otherPort.err().contains("already runs on port " + port + ", not " + other), otherPort.err());
    assertTrue(otherPort.err().contains("use GZ_MLFLOW_PORT=" + port), otherPort.err());

    server.stop();
    Result again = startScript(state, null);
    assertEquals(0, again.code(), again.err());
    List<String> restarted = again.out().lines().toList();
    assertEquals(url, restarted.get(restarted.size() - 1), "stopped and started again: the same port, the URL the demo printed");
  }

  private record Result(int code, String out, String err) {}

  private static Result startScript(Path state, Integer port) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", MlflowTestServer.repoRoot().resolve("infra/mlflow/start.sh").toString());
    Map<String, String> env = pb.environment();
    env.remove("GZ_MLFLOW_PORT");
    if (port != null) {
      env.put("GZ_MLFLOW_PORT", port.toString());
    }
    env.put("GZ_MLFLOW_STATE_DIR", state.toString());
    env.put("GZ_MLFLOW_START_TIMEOUT", "20");
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new Result(p.exitValue(), out, err);
  }
}
