package org.gzpipelines.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.gzpipelines.evaluate.EvaluatePipelineTest;
import org.gzpipelines.schemas.Prediction;
import org.gzpipelines.testing.TinyModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gz evaluate --runner flink} on a real standalone cluster: DJL inference runs inside the
 * TaskManagers and gives the Direct runner's predictions for every galaxy, job after job (each job
 * has its own user-code class loader, and a JVM loads PyTorch's native library into one class
 * loader only: the cluster's lib/ holds DJL, loaded parent-first).
 */
class FlinkEvaluateTest extends FlinkClusterTestBase {

  @Test
  void evaluateOnTheClusterPredictsWhatTheDirectRunnerPredicts(@TempDir Path tmp) throws Exception {
    TinyModel model = TinyModel.shared();
    String runFolder = model.runFolder().toString();
    FlinkIngestTest.gz("evaluate", "--model", runFolder, "--data", model.data().toString(),
        "--output", tmp.resolve("direct").toString(), "--runner", "direct");
    // Two jobs on the same TaskManagers (parallelism 2 on the cluster's 2), as a sweep evaluates its models.
    for (String job : new String[] {"flink", "flink-again"}) {
      FlinkIngestTest.gz("evaluate", "--model", runFolder, "--data", model.data().toString(),
          "--output", tmp.resolve(job).toString(),
          "--runner", "flink", "--flink-master", cluster.master, "--parallelism", "2");
    }

    Map<Long, Prediction> direct = EvaluatePipelineTest.predictions(tmp.resolve("direct"));
    assertEquals(TinyModel.VAL + TinyModel.TEST, direct.size(), "one prediction per validation and test image");
    for (String job : new String[] {"flink", "flink-again"}) {
      Map<Long, Prediction> flink = EvaluatePipelineTest.predictions(tmp.resolve(job));
      assertEquals(direct.keySet(), flink.keySet(), job);
      for (Map.Entry<Long, Prediction> e : direct.entrySet()) {
        for (int i = 0; i < 37; i++) {
          assertEquals(e.getValue().getPredictions().get(i), flink.get(e.getKey()).getPredictions().get(i), 1e-5,
              job + ": galaxy " + e.getKey() + " answer " + i);
        }
      }
    }
  }
}
