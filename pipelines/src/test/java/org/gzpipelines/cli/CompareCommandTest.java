package org.gzpipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.gzpipelines.evaluate.RunComparison;
import org.gzpipelines.testing.GzProcess;
import org.gzpipelines.tracking.MlflowTestServer;
import org.gzpipelines.tracking.TrackedRun;
import org.gzpipelines.tracking.Tracking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gz compare} as a user runs it (a child JVM) against the real tracking server. */
class CompareCommandTest {

  @TempDir Path dir;

  @Test
  void aRunTheServerLacksIsOneLineOfGzWithoutTheClientsRetries() throws Exception {
    String uri = MlflowTestServer.shared();
    Path runs = dir.resolve("runs");
    String trained;
    try (Tracking tracking = Tracking.connect(uri, runs); TrackedRun run = tracking.startRun("gz-compare-test", "cnn")) {
      run.setTag("gz.stage", "train");
      run.logMetric(RunComparison.VAL_RMSE, 0.2, 1000);
      trained = run.runId();
    }
    String missing = "0123456789abcdef0123456789abcdef"; // a full id, so no local run folder is looked for
    try (GzProcess compare = GzProcess.start(dir, Map.of(Tracking.URI_ENV, uri, Tracking.RUNS_DIR_ENV, runs.toString()),
        "compare", trained, missing)) {
      assertEquals(UserErrorHandler.USER_ERROR, compare.waitFor(Duration.ofMinutes(2)), compare.output());
      List<String> lines = compare.output().strip().lines().toList();
      assertEquals(List.of("gz compare: no run " + missing + " on the MLflow server at " + uri + ": check the id against"
          + " the line 'gz <stage>: run <id> ...' that the run printed, or the run's page in the MLflow UI at " + uri),
          lines, "gz's error alone");
      assertFalse(compare.output().contains("Retrying") || compare.output().contains("WARN"), compare.output());
    }
    try (Tracking tracking = Tracking.connect(uri, runs)) {
      assertTrue(tracking.findRuns("gz-compare-test", "tags.`gz.stage` = 'compare'").isEmpty(),
          "no compare run for a mistyped id");
    }
  }
}
