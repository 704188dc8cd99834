package org.gzpipelines.explore;

import static org.gzpipelines.explore.ExplorePipelineTest.params;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.gzpipelines.run.PipelineRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Explore on the embedded Flink runner gives the Direct runner's results. */
class ExploreFlinkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  /** The combiners' accumulators and results (Java-serialised) travel between Flink workers too. */
  @Test
  void theEmbeddedFlinkRunnerGivesTheDirectRunnersCountsAndTreeConsistency() throws Exception {
    Path data = tmp.resolve("data");
    TestDatasets.writeIngested(data, 60, 20, 10, 2, 3, 16, 3, 7);
    ExploreResults direct = ExplorePipeline.run(params(data, tmp.resolve("direct")), PipelineRunner.directChecked());
    ExploreResults flink = ExplorePipeline.run(params(data, tmp.resolve("flink")),
        new PipelineRunner(PipelineRunner.Kind.FLINK_LOCAL, PipelineRunner.DEFAULT_FLINK_MASTER, 2, false));

    JsonNode d = JSON.readTree(direct.toJson());
    JsonNode f = JSON.readTree(flink.toJson());
    assertEquals(d.get("counts"), f.get("counts"));
    assertEquals(d.get("shapes"), f.get("shapes"));
    assertEquals(11, flink.treeConsistency.size());
    for (int q = 0; q < 11; q++) {
      ExploreResults.TreeDeviation a = direct.treeConsistency.get(q);
      ExploreResults.TreeDeviation b = flink.treeConsistency.get(q);
      String what = "question " + a.question;
      assertEquals(a.count, b.count, what);
      assertEquals(a.maxAbs, b.maxAbs, what);
      assertEquals(a.withinTolerance, b.withinTolerance, what);
      // Moments merged in another order: equal but for rounding.
      assertEquals(a.mean, b.mean, 1e-15, what);
      assertEquals(a.std, b.std, 1e-15, what);
    }
  }
}
