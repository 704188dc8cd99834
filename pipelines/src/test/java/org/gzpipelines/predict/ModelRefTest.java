package org.gzpipelines.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.testing.TinyModel;
import org.gzpipelines.tracking.RunStatus;
import org.gzpipelines.tracking.ShortRunIds;
import org.gzpipelines.tracking.TrackedRun;
import org.gzpipelines.tracking.Tracking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --model} as a run id: in full, or its first 8 or more digits (ShortRunIdsTest has the rules). */
class ModelRefTest {

  @Test
  void aShortRunIdNamesTheModelOfItsRun() {
    TinyModel model = TinyModel.shared();
    ModelRef full = ModelRef.resolve(model.runId(), model.runsDir());
    assertEquals(full, ModelRef.resolve(model.runId().substring(0, ShortRunIds.MIN_DIGITS), model.runsDir()));
    assertEquals(model.runId(), full.runId());

    String seven = model.runId().substring(0, ShortRunIds.MIN_DIGITS - 1);
    UserError tooShort = assertThrows(UserError.class, () -> ModelRef.resolve(seven, model.runsDir()));
    assertTrue(tooShort.getMessage().startsWith("--model " + seven + " (a shortened run id needs at least 8 of its"
        + " digits): not a saved model folder"), tooShort.getMessage());
    // Upper case names the same run (MLflow writes ids in lower case); digits no run starts with are named.
    assertEquals(full, ModelRef.resolve(model.runId().substring(0, 10).toUpperCase(java.util.Locale.ROOT), model.runsDir()));
    // A run's model URI takes the short id too, as MLflow users write runs:/<id>/best-model.
    try (Tracking tracking = Tracking.offline(model.runsDir())) {
      assertEquals(full, ModelRef.resolve("runs:/" + model.runId().substring(0, 8) + "/best-model", tracking));
    }
    // A run URI without a folder names the run (gz train --resume runs:/<id>), not a model.
    assertEquals("0123abcd", ModelRef.runIdIn("runs:/0123abcd"));
    assertEquals("0123abcd", ModelRef.runIdIn("runs:/0123abcd/best-model"));
    assertEquals("runs/0123abcd", ModelRef.runIdIn("runs/0123abcd"));
    UserError unknown = assertThrows(UserError.class, () -> ModelRef.resolve("0123abcd", model.runsDir()));
    assertTrue(unknown.getMessage().contains("(no run folder under " + model.runsDir() + " starts with 0123abcd"),
        unknown.getMessage());
  }

  @Test
  void aShortRunIdThatSeveralRunsShareIsRefusedWithTheirList(@TempDir Path tmp) throws Exception {
    Path runs = tmp.resolve("runs");
    try (Tracking tracking = Tracking.offline(runs)) {
      for (String id : new String[] {"abcdef01" + "0".repeat(24), "abcdef01" + "1".repeat(24)}) {
        TrackedRun run = tracking.startRun("gz-test", "train");
        run.end(RunStatus.FINISHED);
        Files.move(runs.resolve(run.runId()), runs.resolve(id)); // random ids share no 8 digits
      }
    }
    UserError shared = assertThrows(UserError.class, () -> ModelRef.resolve("abcdef01", runs));
    assertTrue(shared.getMessage().contains("abcdef01" + "0".repeat(24))
        && shared.getMessage().contains("abcdef01" + "1".repeat(24)), shared.getMessage());
  }
}
