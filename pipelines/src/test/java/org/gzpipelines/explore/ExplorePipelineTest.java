package org.gzpipelines.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplorePipelineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  static ExploreOptions options(Path data, Path out) {
    ExploreOptions o = PipelineOptionsFactory.as(ExploreOptions.class);
    o.setData(data.toString());
    o.setOut(out.toString());
    return o;
  }

  @Test
  void computesCountsStatisticsAndImagesOnTheDirectRunner() throws Exception {
    Path data = tmp.resolve("data");
    TestDatasets.writeIngested(data, 60, 20, 10, 2, 3, 16, 3, 7);
    ExploreResults r = ExplorePipeline.run(options(data, tmp.resolve("out")));

    assertEquals(180L, r.counts.records.get("train"));
    assertEquals(60L, r.counts.originals.get("train"));
    assertEquals(20L, r.counts.labelled.get("val"));
    assertEquals(10L, r.counts.unlabelled.get("test"));
    assertEquals(3, r.deadLetters);
    assertEquals(3, r.deadLetterExamples.size());
    assertEquals(16, r.shapes.maxHeight);
    assertEquals(90L * 16 * 16 * 3, r.shapes.originalRecordPixelBytes);
    assertEquals(25, r.sample.size());
    assertTrue(r.sample.stream().allMatch(i -> i.pixels.length == 16 * 16 * 3));
    assertEquals(80L, r.labelStatistics.get("all").get(0).count);
    assertEquals(60L, r.labelStatistics.get("train").get(0).count);
    assertEquals("smooth", r.labelStatistics.get("all").get(0).name);
    assertEquals(GalaxyZooTaxonomy.ANSWER_COUNT, r.prototypes.size());
    assertNotNull(r.correlation);
    assertEquals(1.0, r.correlation[5][5], 1e-12);
    assertEquals(11, r.treeConsistency.size());
    // Generated labels satisfy the tree up to float rounding.
    assertTrue(r.treeConsistency.stream().allMatch(t -> t.maxAbs < 1e-5), () -> r.toJson());
  }

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
