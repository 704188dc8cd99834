package org.gzpipelines.evaluate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.gzpipelines.predict.ModelRef;
import org.gzpipelines.testing.Coders;
import org.gzpipelines.testing.TinyModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gz evaluate's graph keeps the heap bounded as {@code predict.PredictImagesMemoryBoundTest} says. */
class EvaluateMemoryBoundTest {

  private static final ModelRef MODEL = new ModelRef(Path.of("model-not-loaded-to-build-the-graph"), null);

  /**
   * On an ingested folder, evaluate reads each shard inside the call that predicts its records: no
   * step passes on records but the few galaxies evaluate shows (read back by id).
   */
  @Test
  void ingestedRecordsStayInsideTheCallThatPredictsThem(@TempDir Path tmp) {
    TinyModel tiny = TinyModel.shared();
    EvaluateParams params = new EvaluateParams();
    params.data = tiny.data().toString();
    for (String carrier : Coders.imageCarriers(EvaluatePipeline.build(PipelineOptionsFactory.create(), params, MODEL, tmp))) {
      assertTrue(carrier.startsWith("Extreme images/") || carrier.startsWith("Write extreme images/"), "evaluate: " + carrier);
    }
  }
}
