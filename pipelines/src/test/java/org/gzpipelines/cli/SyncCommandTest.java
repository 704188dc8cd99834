package org.gzpipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gzpipelines.tracking.MetricPoint;
import org.gzpipelines.tracking.Provenance;
import org.gzpipelines.tracking.RunStatus;
import org.gzpipelines.tracking.RunSummary;
import org.gzpipelines.tracking.TrackedRun;
import org.gzpipelines.tracking.Tracking;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code gz sync} against the real tracking server (MLFLOW_TRACKING_URI, or one started here). */
class SyncCommandTest {
  private static String uri;
  private static Path startedState;
  private static int startedPort;
  @TempDir Path tmp;

  @BeforeAll
  static void server() throws Exception {
    String env = System.getenv(Tracking.URI_ENV);
    if (env != null && !env.isBlank()) {
      uri = env.trim();
      return;
    }
    startedState = Path.of("target/mlflow-test-server").toAbsolutePath();
    try (ServerSocket s = new ServerSocket(0)) {
      startedPort = s.getLocalPort();
    }
    List<String> out = script("start.sh").lines().toList();
    uri = out.get(out.size() - 1).trim();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (startedState != null) {
      script("stop.sh");
    }
  }

  private static String script(String name) throws IOException, InterruptedException {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.isRegularFile(root.resolve("infra/mlflow/start.sh"))) {
      root = root.getParent();
    }
    ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("infra/mlflow/" + name).toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("GZ_MLFLOW_PORT", String.valueOf(startedPort));
    pb.environment().put("GZ_MLFLOW_STATE_DIR", startedState.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("infra/mlflow/" + name + " failed");
    }
    return out;
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
  void syncWithNoServerSaysHowToStartOne() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path runs = tmp.resolve("runs");
    try (Tracking offline = Tracking.offline(runs)) {
      offline.startRun("gz-sync-test", "r").close();
    }
    StringWriter err = new StringWriter();
    assertEquals(2, gz(err, "sync", "--tracking-uri", "http://127.0.0.1:" + port, runs.toString()));
    assertTrue(err.toString().contains("infra/mlflow/start.sh"), err.toString());
    assertEquals(2, gz(err, "sync", "--tracking-uri", "ftp://x", runs.toString()));
    assertTrue(err.toString().contains("not an http(s) URL"), err.toString());
  }
}
