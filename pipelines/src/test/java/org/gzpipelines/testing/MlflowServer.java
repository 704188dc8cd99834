package org.gzpipelines.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gzpipelines.tracking.Tracking;

/**
 * A real MLflow tracking server for the pipelines tests: the one MLFLOW_TRACKING_URI names, or one
 * started here with infra/mlflow/start.sh on a free port (state under target/), stopped at exit.
 */
public final class MlflowServer {
  private static String uri;

  private MlflowServer() {}

  public static synchronized String uri() throws Exception {
    if (uri == null) {
      String env = System.getenv(Tracking.URI_ENV);
      if (env != null && !env.isBlank()) {
        uri = env.trim();
      } else {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
          port = s.getLocalPort();
        }
        Path state = Path.of("target/mlflow-test").toAbsolutePath();
        List<String> out = script("start.sh", port, state).lines().toList();
        uri = out.get(out.size() - 1).trim();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            script("stop.sh", port, state);
          } catch (Exception e) {
            System.err.println("could not stop the test MLflow server: " + e);
          }
        }));
      }
    }
    return uri;
  }

  private static String script(String name, int port, Path state) throws IOException, InterruptedException {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.isRegularFile(root.resolve("infra/mlflow/start.sh"))) {
      root = root.getParent();
    }
    Path log = Files.createTempFile("mlflow-" + name, ".log");
    ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("infra/mlflow").resolve(name).toString())
        .redirectError(log.toFile());
    pb.environment().put("GZ_MLFLOW_PORT", String.valueOf(port));
    pb.environment().put("GZ_MLFLOW_STATE_DIR", state.toString());
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    // The first start installs MLflow into the cache (a minute or two).
    if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("infra/mlflow/" + name + " failed:\n" + Files.readString(log));
    }
    Files.delete(log);
    return out;
  }
}
