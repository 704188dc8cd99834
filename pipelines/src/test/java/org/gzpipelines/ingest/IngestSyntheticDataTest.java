package org.gzpipelines.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.gzpipelines.model.data.Manifest;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.synth.ArchiveFormat;
import org.gzpipelines.synth.SynthOptions;
import org.gzpipelines.synth.SyntheticDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ingest of the synthetic generator's Kaggle layout: folder and archives, labelled and test images. */
class IngestSyntheticDataTest {

  @Test
  void ingestsTheGeneratorsKaggleLayout(@TempDir Path tmp) throws Exception {
    SyntheticDataset.Result data = SyntheticDataset.generate(
        SynthOptions.defaults().withCount(40).withTestCount(10).withSeed(5)
            .withArchives(Set.of(ArchiveFormat.TAR_GZ, ArchiveFormat.ZIP)),
        tmp.resolve("synth"));

    Manifest m = IngestRuns.ingest(data.imagesDir(), data.labelsCsv(), tmp.resolve("folder")).result().manifest();
    assertEquals(5L, m.generatorSeed(), "the seed in truth.json beside the images");
    assertEquals(40L, m.galaxies().get("TRAIN") + m.galaxies().get("VAL"));
    assertEquals(0, m.deadLetterTotal());
    List<String> expected = Fixtures.fingerprint(tmp.resolve("folder"));
    for (Path archive : data.archives()) {
      if (archive.getFileName().toString().startsWith(SynthOptions.KAGGLE_IMAGES_DIR)) {
        Path out = tmp.resolve(archive.getFileName().toString());
        IngestRuns.ingest(archive, data.labelsCsv(), out);
        assertEquals(expected, Fixtures.fingerprint(out), archive.getFileName().toString());
      }
    }
    // Synthetic galaxies may be lopsided (tidal tails, companions), so compare with the source:
    // the downsampled galaxy's flux centroid is the full-resolution crop's, scaled by 69/207.
    for (String split : new String[] {"train", "val"}) {
      for (Galaxy g : Fixtures.readGalaxies(tmp.resolve("folder").resolve(split))) {
        byte[] jpeg = java.nio.file.Files.readAllBytes(data.imagesDir().resolve(g.getGalaxyId() + ".jpg"));
        byte[] crop = ImageOps.toHwcBytes(ImageOps.centerCrop(ImageOps.decode(jpeg), 207));
        double[] source = ImageOpsTest.centroid(crop, 207);
        double[] c = IngestPipelineTest.centroid(g);
        assertEquals((source[0] + 0.5) / 3 - 0.5, c[0], 1.0, g.getGalaxyId() + " centroid x");
        assertEquals((source[1] + 0.5) / 3 - 0.5, c[1], 1.0, g.getGalaxyId() + " centroid y");
      }
    }

    Manifest test = IngestRuns.ingest(data.testDir().orElseThrow(), null, tmp.resolve("test")).result().manifest();
    assertEquals(10L, test.records().get("TEST"));
    assertTrue(Fixtures.readGalaxies(tmp.resolve("test/test")).stream().allMatch(g -> g.getLabels() == null));
  }
}
