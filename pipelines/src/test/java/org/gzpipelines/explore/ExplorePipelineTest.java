package org.gzpipelines.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplorePipelineTest {
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
}
