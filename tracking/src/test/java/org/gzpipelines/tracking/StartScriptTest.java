package org.gzpipelines.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * infra/mlflow/start.sh asked again for a checkout whose server runs on another port (the demo was
 * started with GZ_MLFLOW_PORT, the guide's line is typed without it): it prints that server's URL,
 * and refuses a different explicit port with the one to use, where it used to wait two minutes and
 * call a healthy server silent.
 */
class StartScriptTest {
  @TempDir Path tmp;
  private MlflowTestServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop();
    }
  }

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
