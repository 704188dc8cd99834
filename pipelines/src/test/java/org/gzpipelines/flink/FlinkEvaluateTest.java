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
 * TaskManagers (the native library loaded from the staged job jar) and gives the Direct runner's
 * predictions for every galaxy.
 */
class FlinkEvaluateTest extends FlinkClusterTestBase {

  @Test
  void evaluateOnTheClusterPredictsWhatTheDirectRunnerPredicts(@TempDir Path tmp) throws Exception {
    TinyModel model = TinyModel.shared();
    String runFolder = model.runFolder().toString();
    FlinkIngestTest.gz("evaluate", "--model", runFolder, "--data", model.data().toString(),
        "--output", tmp.resolve("direct").toString(), "--runner", "direct");
    FlinkIngestTest.gz("evaluate", "--model", runFolder, "--data", model.data().toString(),
        "--output", tmp.resolve("flink").toString(),
        "--runner", "flink", "--flink-master", cluster.master, "--parallelism", "2");

    Map<Long, Prediction> direct = EvaluatePipelineTest.predictions(tmp.resolve("direct"));
    Map<Long, Prediction> flink = EvaluatePipelineTest.predictions(tmp.resolve("flink"));
    assertEquals(TinyModel.VAL + TinyModel.TEST, direct.size(), "one prediction per validation and test image");
    assertEquals(direct.keySet(), flink.keySet());
    for (Map.Entry<Long, Prediction> e : direct.entrySet()) {
      for (int i = 0; i < 37; i++) {
        assertEquals(e.getValue().getPredictions().get(i), flink.get(e.getKey()).getPredictions().get(i), 1e-5,
            "galaxy " + e.getKey() + " answer " + i);
      }
    }
  }
}
