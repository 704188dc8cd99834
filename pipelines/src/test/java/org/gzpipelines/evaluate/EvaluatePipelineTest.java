package org.gzpipelines.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.gzpipelines.testing.TinyModel;
import org.gzpipelines.tracking.Tracking;
import org.gzpipelines.tracking.TrackedRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluatePipelineTest {

  static TinyModel model;

  @BeforeAll
  static void train() {
    model = TinyModel.shared();
  }

  @Test
  void evaluatesValidationAndTestWritesFiguresAndTracksTheRun(@TempDir Path tmp) throws Exception {
    ModelRef ref = ModelRef.resolve(model.runFolder().toString(), model.runsDir());
    EvaluateOptions o = PipelineOptionsFactory.as(EvaluateOptions.class);
    o.setRunner(DirectRunner.class);
    o.setModelDir(ref.modelDir().toString());
    o.setModelRunId(ref.label());
    o.setData(model.data().toString());
    o.setOutput(tmp.resolve("out").toString());
    Evaluation.Result r;
    try (Tracking tracking = Tracking.offline(model.runsDir())) {
      TrackedRun run = tracking.startChildOf(model.runId(), "evaluate");
      r = Evaluation.run(o, run);
    }
    assertEquals(TinyModel.VAL + TinyModel.TEST, r.predictions());
    assertEquals(TinyModel.VAL, r.rmse().galaxies());
    // The trained network beats the mean-label guess on this sky by far.
    assertTrue(r.rmse().rmse() < 0.1, "validation RMSE " + r.rmse().rmse());
    assertEquals(model.result().bestValRmse(), r.rmse().rmse(), 1e-4, "same RMSE as the trainer's best evaluation");
    for (Path png : r.figures()) {
      BufferedImage img = ImageIO.read(png.toFile());
      assertNotNull(img, png + " is a PNG");
    }
    assertEquals(1 + 7, r.figures().size());
  }
}
