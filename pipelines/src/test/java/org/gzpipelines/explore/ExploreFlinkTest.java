package org.gzpipelines.explore;

import static org.gzpipelines.explore.ExplorePipelineTest.options;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
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
    ExploreResults direct = ExplorePipeline.run(options(data, tmp.resolve("direct")));
    ExploreOptions options = options(data, tmp.resolve("flink"));
    options.setRunner(FlinkRunner.class);
    options.as(FlinkPipelineOptions.class).setFlinkMaster("[local]");
    options.as(FlinkPipelineOptions.class).setParallelism(2);
    ExploreResults flink = ExplorePipeline.run(options);

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
