package org.gzpipelines.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
   * step passes on records or images (the extremes' images are written by the units that keep them).
   */
  @Test
  void ingestedRecordsStayInsideTheCallThatPredictsThem(@TempDir Path tmp) {
    TinyModel tiny = TinyModel.shared();
    EvaluateParams params = new EvaluateParams();
    params.data = tiny.data().toString();
    Pipeline evaluate = EvaluatePipeline.build(PipelineOptionsFactory.create(), params, Coders.UNLOADED_MODEL, tmp);
    assertEquals(List.of(), Coders.imageCarriers(evaluate));
  }
}
