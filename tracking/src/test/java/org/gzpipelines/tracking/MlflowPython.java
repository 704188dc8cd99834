package org.gzpipelines.tracking;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * MLflow's own Python client, for tests that check what a user of MLflow sees: the python of the
 * virtualenv infra/mlflow/install.sh makes (the one the test server runs from; GZ_CACHE_DIR moves
 * it, as for start.sh), installed first if missing, so no such test is skipped.
 */
public final class MlflowPython {

  private MlflowPython() {}

  /**
   * Runs a Python script with arguments against the tracking server {@code trackingUri}; returns
   * its standard output. A failing script fails the test with its output and errors.
   */
  public static String run(String trackingUri, String script, String... args) {
    try {
      Path file = Files.createTempFile("gz-mlflow-", ".py");
      Files.writeString(file, script);
      List<String> command = new ArrayList<>(List.of(python().toString(), file.toString()));
      command.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.environment().put(Tracking.URI_ENV, trackingUri);
      pb.environment().put("MLFLOW_DISABLE_TELEMETRY", "true"); // nothing may leave the machine
      Path errors = Files.createTempFile("gz-mlflow-", ".err");
      Process p = pb.redirectError(errors.toFile()).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError("the MLflow Python script failed (exit " + (p.isAlive() ? "timeout" : p.exitValue())
            + "):\n" + out + "\n" + Files.readString(errors));
      }
      Files.delete(file);
      Files.delete(errors);
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run MLflow's Python client: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The virtualenv's python, from install.sh (which installs it on first use). */
  static Path python() throws IOException, InterruptedException {
    Path script = MlflowTestServer.repoRoot().resolve("infra/mlflow/install.sh");
    Path log = Files.createTempFile("mlflow-install", ".log");
    Process p = new ProcessBuilder("bash", script.toString()).redirectError(log.toFile()).start();
    p.getOutputStream().close();
    List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0 || lines.isEmpty()) {
      throw new IllegalStateException("infra/mlflow/install.sh could not make the MLflow virtualenv:\n"
          + Files.readString(log));
    }
    Files.delete(log);
    Path python = Path.of(lines.get(lines.size() - 1).trim(), "bin", "python");
    if (!Files.isExecutable(python)) {
      throw new IllegalStateException("infra/mlflow/install.sh printed a virtualenv without " + python);
    }
    return python;
  }
}
