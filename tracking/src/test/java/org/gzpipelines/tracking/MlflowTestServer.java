package org.gzpipelines.tracking;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real MLflow tracking server for tests, run by infra/mlflow/start.sh and stopped by stop.sh.
 * {@link #shared()} is the one given by MLFLOW_TRACKING_URI (as .ci/run sets it) or, when that is
 * unset, one this JVM starts on a free port with its state under target/ (of the module whose
 * tests run) and stops at exit. A test that needs to kill a server makes its own instance.
 *
 * <p>The one helper for every module: model and pipelines use it through gz-tracking's test-jar
 * ({@code <type>test-jar</type>}, test scope).
 */
public final class MlflowTestServer {
  private static String sharedUri;

  private final Path stateDir;
  private final int port;

  public MlflowTestServer(Path stateDir) {
    this.stateDir = stateDir;
    this.port = freePort();
  }

  /** The URL of the server all tests of this JVM share. */
  public static synchronized String shared() {
    if (sharedUri == null) {
      String env = System.getenv(Tracking.URI_ENV);
      if (env != null && !env.isBlank()) {
        sharedUri = env.trim();
      } else {
        MlflowTestServer server = new MlflowTestServer(Path.of("target/mlflow-test-server").toAbsolutePath());
        sharedUri = server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
      }
    }
    return sharedUri;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Starts (or, with the server up, only confirms) the instance; returns its URL. */
  public String start() {
    String out = script("start.sh");
    List<String> lines = out.lines().toList();
    String url = lines.isEmpty() ? "" : lines.get(lines.size() - 1).trim();
    if (!url.equals(url())) {
      throw new IllegalStateException("infra/mlflow/start.sh printed '" + url + "', expected " + url());
    }
    return url;
  }

  public void stop() {
    script("stop.sh");
  }

  private String script(String name) {
    Path script = repoRoot().resolve("infra/mlflow").resolve(name);
    try {
      Path log = Files.createTempFile("mlflow-" + name, ".log");
      ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectError(log.toFile());
      Map<String, String> env = pb.environment();
      env.put("GZ_MLFLOW_PORT", String.valueOf(port));
      env.put("GZ_MLFLOW_STATE_DIR", stateDir.toString());
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      // The first start installs MLflow into the cache (about a minute and a half).
      if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(
            "infra/mlflow/" + name + " failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + "):\n"
                + Files.readString(log));
      }
      Files.delete(log);
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Path repoRoot() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("infra/mlflow/start.sh"))) {
        return d;
      }
    }
    throw new IllegalStateException("no infra/mlflow/start.sh above " + Path.of("").toAbsolutePath());
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
