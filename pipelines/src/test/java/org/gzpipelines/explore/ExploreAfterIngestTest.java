package org.gzpipelines.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.gzpipelines.cli.Gz;
import org.gzpipelines.model.data.Manifest;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Explore reads exactly what {@code gz ingest} writes: shards, dead letters and manifest. */
class ExploreAfterIngestTest {
  @TempDir Path tmp;

  @Test
  void exploresARealIngestOutput() throws Exception {
    int n = 60;
    TestDatasets.writeOriginals(tmp, 500000, n, 16); // 64 x 64 JPEGs in tmp/originals
    Files.write(tmp.resolve("originals/500999.jpg"), new byte[] {1, 2, 3}); // unreadable: dead letter
    Random random = new Random(1);
    StringBuilder csv = new StringBuilder(GalaxyZooTaxonomy.csvHeader()).append('\n');
    for (long id = 500000; id < 500000 + n; id++) {
      csv.append(id);
      for (float f : TestDatasets.treeLabels(random)) {
        csv.append(',').append(f);
      }
      csv.append('\n');
    }
    csv.append(500999);
    for (int i = 0; i < GalaxyZooTaxonomy.ANSWER_COUNT; i++) {
      csv.append(",0.5");
    }
    csv.append('\n');
    Files.writeString(tmp.resolve("labels.csv"), csv);
    Path data = tmp.resolve("ingested");
    int code = Gz.commandLine().execute("ingest", "--images", tmp.resolve("originals").toString(),
        "--labels", tmp.resolve("labels.csv").toString(), "--out", data.toString(),
        "--expected-size", "64", "--crop-size", "32", "--output-size", "16");
    assertEquals(0, code, "gz ingest");

    Explore.Outcome outcome = Explore.explore(ExplorePipelineTest.params(data, tmp.resolve("report")), org.gzpipelines.run.PipelineRunner.directChecked());
    ExploreResults r = outcome.results();
    assertEquals(n, r.counts.total(r.counts.labelled));
    assertTrue(r.counts.labelled.get("train") > 0 && r.counts.labelled.get("val") > 0, r.counts.labelled.toString());
    assertTrue(r.deadLetters >= 1, "the unreadable JPEG is dead-lettered");
    assertEquals(64, r.shapes.rawWidth, "original size from the manifest's expectedSize");
    assertEquals(32, r.shapes.cropSize);
    assertEquals(16, r.shapes.maxWidth);
    assertEquals(16.0, r.memory.reductionFactor, 1e-9);
    // The manifest names the images folder (by name only: tmp is outside the working folder), and
    // the originals beside the dataset are found, so the before/after figure shows them.
    assertEquals(".../originals", Manifest.read(data).images());
    assertTrue(r.notes.stream().noneMatch(s -> s.startsWith("Before/after")), r.notes.toString());
    // Moved away, they are shown only when explore is given them (--images); the note says so.
    Path moved = Files.move(tmp.resolve("originals"), Files.createDirectories(tmp.resolve("elsewhere")).resolve("originals"));
    r.notes.clear();
    assertTrue(Explore.beforeAfter(r, data, Manifest.find(data), null).stream().allMatch(p -> p.original() == null));
    assertTrue(r.notes.size() == 1 && r.notes.get(0).contains("--images"), r.notes.toString());
    r.notes.clear();
    assertTrue(Explore.beforeAfter(r, data, Manifest.find(data), moved.toString()).stream().allMatch(p -> p.original() != null),
        r.notes.toString());
    assertTrue(r.treeConsistency.stream().allMatch(t -> t.maxAbs < 1e-5));
    assertTrue(Files.isRegularFile(outcome.report().html()));
  }
}
