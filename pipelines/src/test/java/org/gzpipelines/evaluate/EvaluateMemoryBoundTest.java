package org.gzpipelines.evaluate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.gzpipelines.testing.Coders;
import org.gzpipelines.testing.TinyModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gz evaluate's graph keeps the heap bounded as {@code predict.PredictImagesMemoryBoundTest} says. */
class EvaluateMemoryBoundTest {

  /**
   * On an ingested folder, evaluate reads each shard inside the call that predicts its records: no
   * step passes on records but the few galaxies each unit preselects for the extremes figures.
   */
  @Test
  void ingestedRecordsStayInsideTheCallThatPredictsThem(@TempDir Path tmp) {
    TinyModel tiny = TinyModel.shared();
    EvaluateParams params = new EvaluateParams();
    params.data = tiny.data().toString();
    Pipeline evaluate = EvaluatePipeline.build(PipelineOptionsFactory.create(), params, Coders.UNLOADED_MODEL, tmp);
    List<String> carriers = Coders.imageCarriers(evaluate);
    assertFalse(carriers.isEmpty(), "the extremes' candidates carry their images");
    for (String carrier : carriers) {
      assertTrue(carrier.startsWith("Validation/ReadPreprocessPredict") || carrier.startsWith("Extreme galaxies/"),
          "evaluate: " + carrier);
    }
  }
}
