package org.gzpipelines.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.gzpipelines.model.data.Preprocessing;
import org.gzpipelines.testing.Coders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Direct runner holds every step's output until the next step has run over all of it, so gz
 * predict, gz mergers and gz evaluate keep their heap bounded only if no collection carries image
 * bytes or records: they live inside the call that reads (preprocesses) and predicts them ({@link
 * PredictImages}). Checked on the pipeline graph (one surefire JVM has one heap for all tests);
 * gz mergers' graph in {@code mergers.MergersMemoryBoundTest}, gz evaluate's in {@code
 * evaluate.EvaluateMemoryBoundTest}.
 */
class PredictImagesMemoryBoundTest {

  @Test
  void predictPassesOnNoImageBytesOrRecords(@TempDir Path tmp) throws Exception {
    for (Path images : Coders.rawInputs(tmp)) {
      Pipeline p = PredictPipeline.build(PipelineOptionsFactory.create(),
          new PredictPipeline.Inputs(Coders.UNLOADED_MODEL, images, Preprocessing.DEFAULTS, 64, tmp.resolve("work")));
      assertEquals(List.of(), Coders.imageCarriers(p), images.getFileName() + ": collections carrying images");
    }
  }
}
