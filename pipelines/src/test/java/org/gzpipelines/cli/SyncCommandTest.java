package org.gzpipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.gzpipelines.testing.GzProcess;
import org.gzpipelines.tracking.MetricPoint;
import org.gzpipelines.tracking.MlflowTestServer;
import org.gzpipelines.tracking.Provenance;
import org.gzpipelines.tracking.RunStatus;
import org.gzpipelines.tracking.RunSummary;
import org.gzpipelines.tracking.TrackedRun;
import org.gzpipelines.tracking.Tracking;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code gz sync} against the real tracking server (MLFLOW_TRACKING_URI, or one started here). */
class SyncCommandTest {
  private static String uri;
  @TempDir Path tmp;

  @BeforeAll
  static void server() {
    uri = MlflowTestServer.shared();
  }

  private static int gz(StringWriter err, String... args) {
    CommandLine cmd = Gz.commandLine();
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  @Test
  void syncUploadsAnOfflineRunOnce() {
    Path runs = tmp.resolve("runs");
    String runId;
    try (Tracking offline = Tracking.offline(runs); TrackedRun run = offline.startRun("gz-sync-test", "offline")) {
      runId = run.runId();
      run.logParam("lr", "0.001");
      for (int step = 0; step < 1234; step++) {
        run.logMetric("loss", 1.0 / (step + 1), step);
      }
      run.end(RunStatus.FINISHED);
    }
    StringWriter err = new StringWriter();
    assertEquals(0, gz(err, "sync", "--tracking-uri", uri, runs.resolve(runId).toString()), err.toString());
    assertEquals(0, gz(err, "sync", "--tracking-uri", uri, runs.toString()), err.toString()); // no-op

    try (Tracking tracking = Tracking.connect(uri, runs)) {
      RunSummary server = tracking.getRun(runId); // the local id maps to the server's
      assertEquals("FINISHED", server.status());
      assertEquals("0.001", server.params().get("lr"));
      // Beam and DJL are on this module's classpath: their versions are in the provenance tags.
      assertTrue(server.tags().get(Provenance.BEAM_VERSION).matches("\\d+(\\.\\d+)+"), server.tags().toString());
      assertTrue(server.tags().get(Provenance.DJL_VERSION).matches("\\d+(\\.\\d+)+"), server.tags().toString());
      List<MetricPoint> history = tracking.metricHistory(runId, "loss");
      assertEquals(1234, history.size());
      assertEquals(1.0 / 1234, history.get(1233).value());
    }
  }

  @Test
  void ctrlCStopsASyncBetweenRunsAndTheNextSyncSendsTheRestOnce() throws Exception {
    Path runs = tmp.resolve("runs");
    String experiment = "gz-sync-stop-" + System.nanoTime();
    int count = 120;
    try (Tracking offline = Tracking.offline(runs)) {
      for (int r = 0; r < count; r++) {
        try (TrackedRun run = offline.startRun(experiment, "offline-" + r)) {
          for (int step = 0; step < 300; step++) {
            run.logMetric("loss", 1.0 / (step + 1), step);
          }
        }
      }
    }
    try (GzProcess sync = GzProcess.start(tmp, Map.of(), "sync", "--tracking-uri", uri, runs.toString())) {
      sync.await("a first run uploaded", Duration.ofMinutes(2), () -> sync.output().contains("(created)"));
      sync.signal("INT");
      assertEquals(130, sync.waitFor(Duration.ofMinutes(2)), sync.output());
      assertTrue(sync.output().contains("before the stop; each run is uploaded whole"), sync.output());
      assertTrue(sync.output().lines().filter(l -> l.contains("(created)")).count() < count, "stopped between runs");
    }
    StringWriter err = new StringWriter();
    assertEquals(0, gz(err, "sync", "--tracking-uri", uri, runs.toString()), err.toString());
    try (Tracking tracking = Tracking.connect(uri, runs)) {
      assertEquals(count, tracking.findRuns(experiment, "").size(), "every run on the server, once");
    }
  }

  @Test
  void syncWithNoServerSaysHowToStartOne() throws Exception {
    int port = MlflowTestServer.freePort();
    Path runs = tmp.resolve("runs");
    try (Tracking offline = Tracking.offline(runs)) {
      offline.startRun("gz-sync-test", "r").close();
    }
    StringWriter err = new StringWriter();
    assertEquals(2, gz(err, "sync", "--tracking-uri", "http://127.0.0.1:" + port, runs.toString()));
    assertTrue(err.toString().contains("infra/mlflow/start.sh") && err.toString().contains("then run gz sync again"),
        err.toString());
    assertFalse(err.toString().contains("to track offline"), "tracking offline uploads nothing: " + err);
    assertEquals(2, gz(err, "sync", "--tracking-uri", "ftp://x", runs.toString()));
    assertTrue(err.toString().contains("not an http(s) URL"), err.toString());
  }
}
