package org.gzpipelines.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kaggle test images ingested into the training set's folder (the default --out of both): gz
 * refuses with the fix and keeps the labelled dataset; --force replaces it.
 */
class LabelledDatasetKeptTest {

  @Test
  void anUnlabelledIngestIntoALabelledDatasetIsRefusedUnlessForced(@TempDir Path dir) throws Exception {
    Fixtures.Input input = Fixtures.writeInput(dir, 30, 64);
    Path out = dir.resolve("gz2");
    IngestRuns.ingest(input.images(), input.labels(), out, DamagedOutputTest.SETTINGS);
    List<String> records = Fixtures.fingerprint(out);

    List<String> args = new ArrayList<>(List.of("ingest", "--images", input.images().toString(), "--out", out.toString()));
    args.addAll(List.of(DamagedOutputTest.SETTINGS));
    IngestRuns.Cli refused = IngestRuns.cli(args.toArray(String[]::new));
    assertEquals(2, refused.exitCode(), refused.stderr());
    assertTrue(refused.stderr().contains(out + " holds a labelled dataset (train "), refused.stderr());
    assertTrue(refused.stderr().contains("--out " + dir.resolve("gz2-test") + "), or add --force"), refused.stderr());
    assertEquals(records, Fixtures.fingerprint(out), "the labelled dataset is untouched");

    List<String> force = new ArrayList<>(List.of(DamagedOutputTest.SETTINGS));
    force.add("--force");
    IngestRuns.Run replaced = IngestRuns.ingest(input.images(), null, out, force.toArray(String[]::new));
    assertEquals(Set.of("TEST"), replaced.result().manifest().records().keySet(), replaced.output());
  }

  /** The Kaggle download's folder itself as --images: its test images would each be a dead letter. */
  @Test
  void theKaggleDownloadsFolderIsRefusedWithItsTrainingFolder(@TempDir Path dir) throws Exception {
    Fixtures.Input input = Fixtures.writeInput(dir.resolve("kaggle/images_training_rev1"), 4, 64);
    IngestRuns.Cli refused = IngestRuns.cli("ingest", "--images", dir.resolve("kaggle").toString(),
        "--labels", input.labels().toString(), "--out", dir.resolve("out").toString());
    assertEquals(2, refused.exitCode(), refused.stderr());
    assertTrue(refused.stderr().contains("is the Kaggle download's folder: give --images "
        + dir.resolve("kaggle/images_training_rev1") + " with --labels " + input.labels()), refused.stderr());
  }
}
