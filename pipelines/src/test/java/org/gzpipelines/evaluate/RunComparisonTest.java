package org.gzpipelines.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.testing.TinyModel;
import org.gzpipelines.tracking.TrackedRun;
import org.gzpipelines.tracking.Tracking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunComparisonTest {

  @Test
  void comparesTheCurvesOfTrainingRuns(@TempDir Path tmp) throws Exception {
    TinyModel model = TinyModel.shared();
    try (Tracking tracking = Tracking.offline(model.runsDir())) {
      // A second run, logged through the same API the trainer uses.
      String other;
      try (TrackedRun run = tracking.startRun("gz-test", "other")) {
        run.logParam(RunComparison.PARAMETERS, "1234");
        run.logParam("data.val_images", "627");
        run.logParam("train.val-max-images", "300"); // its RMSE is over 300 of the split's 627
        run.logMetric(RunComparison.VAL_RMSE, 0.2, 1000);
        run.logMetric(RunComparison.VAL_RMSE, 0.15, 2000);
        run.logMetric(RunComparison.VAL_RMSE, 0.17, 3000);
        other = run.runId();
      }
      RunComparison.Row tiny = RunComparison.fetch(tracking, model.runId());
      RunComparison.Row second = RunComparison.fetch(tracking, other);
      assertEquals(model.result().bestValRmse(), tiny.bestValRmse(), 1e-6);
      assertEquals(Long.toString(model.result().parameters()), tiny.parameters());
      assertTrue(tiny.trainingSeconds() > 0);
      assertTrue(tiny.validationImages().matches("[1-9][0-9]*"), tiny.validationImages());
      assertEquals(0.15, second.bestValRmse(), 1e-12);
      assertEquals(2000, second.bestAtImages());
      Path png = tmp.resolve("curves.png");
      RunComparison.figure(List.of(tiny, second), png);
      assertNotNull(ImageIO.read(png.toFile()));
      List<Path> tables = RunComparison.tables(List.of(tiny, second), tmp, "comparison");
      List<String> csv = Files.readAllLines(tables.get(0));
      assertEquals(3, csv.size());
      assertTrue(csv.get(2).startsWith("other," + other + ",0.15000,2000,300,1234,"), csv.get(2));
      assertTrue(Files.readString(tables.get(1)).contains("| other | " + other + " | 0.15000 | 2000 | 300 | 1234 |"));

      // The compare stage takes the runs by their first 8 digits, as a user types them.
      CompareParams params = new CompareParams();
      params.runs = List.of(model.runId().substring(0, 8), other.substring(0, 8));
      params.output = tmp.resolve("compare").toString();
      new Compare(tracking).check(params);
      try (TrackedRun run = tracking.startRun("gz-test", "compare")) {
        new Compare(tracking).run(params, run, null);
      }

      // Refused before a compare run starts: another stage's run, an id of too few digits, an unknown one.
      String evaluate;
      try (TrackedRun run = tracking.startRun("gz-test", "evaluate")) {
        run.setTag("gz.stage", "evaluate");
        run.logMetric(RunComparison.VAL_RMSE, 0.16, 0);
        evaluate = run.runId();
      }
      assertRefused(tracking, List.of(other, evaluate), "('evaluate') is an evaluate run: gz compare compares training runs");
      assertRefused(tracking, List.of(other, other.substring(0, 5)), "needs at least 8 of its digits");
      assertRefused(tracking, List.of(other, "0123abcd"), "no run folder under " + tracking.runsDir() + " starts with 0123abcd");
      String csvByShortIds = Files.readString(tmp.resolve("compare").resolve("comparison.csv"));
      assertTrue(csvByShortIds.contains("," + model.runId() + ",") && csvByShortIds.contains("," + other + ","),
          csvByShortIds);
    }
  }

  private static void assertRefused(Tracking tracking, List<String> runs, String expected) {
    CompareParams params = new CompareParams();
    params.runs = runs;
    UserError e = assertThrows(UserError.class, () -> new Compare(tracking).check(params));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
