package org.gzpipelines.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.avro.SchemaNormalization;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.files.FileTrees;
import org.gzpipelines.model.data.Manifest;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Split;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end ingest on the Direct runner over generated 424x424 JPEGs with labels. */
class IngestPipelineTest {
  static final int GALAXIES = 40;

  @TempDir static Path data;
  static Path folder;
  static Path labels;
  static List<Long> ids;

  @BeforeAll
  static void generate() throws Exception {
    ids = Fixtures.ids(GALAXIES);
    folder = data.resolve("images_training_rev1");
    Fixtures.writeImages(folder, ids, 424);
    labels = data.resolve("training_solutions_rev1.csv");
    Fixtures.writeLabels(labels, ids);
    Fixtures.zip(folder, data.resolve("images.zip"), "images_training_rev1");
    Fixtures.tarGz(folder, data.resolve("images.tar.gz"), "images_training_rev1");
  }

  @Test
  void folderZipAndTarGzGiveTheSameRecords(@TempDir Path tmp) throws Exception {
    Ingest.Result fromFolder = IngestRuns.ingest(folder, labels, tmp.resolve("folder")).result();
    List<String> expected = Fixtures.fingerprint(tmp.resolve("folder"));
    assertEquals(GALAXIES, expected.size());
    for (String archive : new String[] {"images.zip", "images.tar.gz"}) {
      IngestRuns.ingest(data.resolve(archive), labels, tmp.resolve(archive));
      assertEquals(expected, Fixtures.fingerprint(tmp.resolve(archive)), archive);
    }
    // The labels as Kaggle ships them (training_solutions_rev1.zip), and gzipped.
    Path zippedLabels = tmp.resolve("training_solutions_rev1.zip");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(zippedLabels))) {
      zip.putNextEntry(new ZipEntry("training_solutions_rev1.csv"));
      zip.write(Files.readAllBytes(labels));
    }
    Path gzippedLabels = tmp.resolve("training_solutions_rev1.csv.gz");
    try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(gzippedLabels))) {
      gz.write(Files.readAllBytes(labels));
    }
    for (Path packed : List.of(zippedLabels, gzippedLabels)) {
      Path out = tmp.resolve("labels-" + packed.getFileName());
      IngestRuns.ingest(folder, packed, out);
      assertEquals(expected, Fixtures.fingerprint(out), packed.getFileName().toString());
    }

    Manifest m = fromFolder.manifest();
    Manifest onDisk = Manifest.read(tmp.resolve("folder"));
    // Inputs outside the folder ingest runs in are named without their folders: manifests are shared.
    assertEquals(".../images_training_rev1", onDisk.images());
    assertEquals(".../training_solutions_rev1.csv", onDisk.labels());
    assertFalse(Files.readString(tmp.resolve("folder/manifest.json")).contains(data.toString()));
    assertEquals(m.records(), onDisk.records());
    assertEquals(m.createdAt(), onDisk.createdAt());
    assertTrue(onDisk.describes(m.inputChecksum(), m.avroSchemaFingerprint(), m.parameters()));
    List<Galaxy> train = Fixtures.readGalaxies(tmp.resolve("folder/train"));
    List<Galaxy> val = Fixtures.readGalaxies(tmp.resolve("folder/val"));
    assertEquals(m.records().get("TRAIN"), train.size());
    assertEquals(m.records().get("VAL"), val.size());
    assertFalse(Files.exists(tmp.resolve("folder/test")));
    assertEquals(0, m.deadLetterTotal());
    assertEquals(Long.toHexString(SchemaNormalization.parsingFingerprint64(Galaxy.SCHEMA$)), m.avroSchemaFingerprint());
    assertEquals(64, m.inputChecksum().length());
    assertEquals(GALAXIES, m.inputFiles());
    assertEquals(42L, m.splitSeed());

    // ~80/20: with 40 galaxies, between 24 and 38 land in train (a binomial 5-sigma band).
    assertTrue(train.size() >= 24 && train.size() <= 38, "train " + train.size());
    // The manifest's largest mean difference is the one of the written records.
    assertEquals(maxMeanDifference(train, val), m.maxMeanDifference(), 1e-5);
    assertNotNull(m.maxMeanDifferenceLabel());

    for (Galaxy g : Stream.concat(train.stream(), val.stream()).toList()) {
      assertEquals(69, g.getWidth());
      assertEquals(69, g.getHeight());
      assertEquals(3, g.getChannels());
      assertEquals(69 * 69 * 3, g.getPixels().remaining());
      float[] expectedLabels = Fixtures.labels(g.getGalaxyId());
      for (int i = 0; i < 37; i++) {
        assertEquals(expectedLabels[i], g.getLabels().get(i), 1e-6);
      }
      assertEquals(new SplitAssigner(42, 0.8).assign(g.getGalaxyId()), g.getSplit());
      double[] c = centroid(g);
      assertEquals(34.0, c[0], 1.5, g.getGalaxyId() + " centroid x");
      assertEquals(34.0, c[1], 1.5, g.getGalaxyId() + " centroid y");
    }
    // Shard files, nothing else, and no temporary folders left beside the output.
    try (Stream<Path> siblings = Files.list(tmp)) {
      assertTrue(siblings.noneMatch(p -> p.getFileName().toString().startsWith(".")));
    }
  }

  @Test
  void inputsUnderTheWorkingFolderAreNamedRelativeToIt(@TempDir Path tmp) throws Exception {
    Path project = Files.createTempDirectory(Path.of("target"), "ingest-relative-").toAbsolutePath();
    try {
      Path images = Files.createDirectories(project.resolve("raw/images"));
      for (long id : ids.subList(0, 5)) {
        Files.copy(folder.resolve(id + ".jpg"), images.resolve(id + ".jpg"));
      }
      Path csv = project.resolve("raw/labels.csv");
      Fixtures.writeLabels(csv, ids.subList(0, 5));
      Manifest m = IngestRuns.ingest(images, csv, tmp.resolve("out")).result().manifest();
      String base = "target/" + project.getFileName() + "/raw/";
      assertEquals(base + "images", m.images());
      assertEquals(base + "labels.csv", m.labels());
    } finally {
      FileTrees.delete(project);
    }
  }

  @Test
  void theSameInputsGiveTheSameShardsAndTheSplitFollowsTheSeed(@TempDir Path tmp) throws Exception {
    IngestRuns.ingest(folder, labels, tmp.resolve("a"), "--images-per-bundle", "3");
    IngestRuns.ingest(folder, labels, tmp.resolve("b"), "--images-per-bundle", "11");
    assertEquals(Fixtures.fingerprint(tmp.resolve("a")), Fixtures.fingerprint(tmp.resolve("b")));
    // Byte for byte, however the runner bundled the images: the manifests' checksums identify the data.
    assertEquals(splitShards(tmp.resolve("a")), splitShards(tmp.resolve("b")));
    IngestRuns.ingest(folder, labels, tmp.resolve("c"), "--split-seed", "1234");
    assertNotEquals(splits(tmp.resolve("a")), splits(tmp.resolve("c")));
  }

  @Test
  void augmentationAddsRotatedCopiesToTrainingOnly(@TempDir Path tmp) throws Exception {
    Manifest m = IngestRuns.ingest(folder, labels, tmp.resolve("aug"), "--augment", "2").result().manifest();
    List<Galaxy> train = Fixtures.readGalaxies(tmp.resolve("aug/train"));
    List<Galaxy> val = Fixtures.readGalaxies(tmp.resolve("aug/val"));
    long trainGalaxies = m.galaxies().get("TRAIN");
    assertEquals(3 * trainGalaxies, train.size());
    assertEquals(m.records().get("TRAIN"), train.size());
    assertTrue(val.stream().allMatch(g -> g.getCopyIndex() == 0 && g.getRotationDegrees() == 0 && !g.getFlipped()));
    Map<Long, Integer> copies = new HashMap<>();
    int flipped = 0;
    for (Galaxy g : train) {
      copies.merge(g.getGalaxyId(), 1, Integer::sum);
      if (g.getCopyIndex() == 0) {
        assertEquals(0f, g.getRotationDegrees());
        assertFalse(g.getFlipped());
      } else {
        Augmentation a = Augmentation.of(7, g.getGalaxyId(), g.getCopyIndex());
        assertEquals((float) a.rotationDegrees(), g.getRotationDegrees());
        assertEquals(a.flipped(), g.getFlipped());
        assertTrue(g.getRotationDegrees() >= 0 && g.getRotationDegrees() < 360);
        flipped += g.getFlipped() ? 1 : 0;
      }
      // Rotation happens before the crop: the galaxy stays centred and no black corner enters.
      double[] c = centroid(g);
      assertEquals(34.0, c[0], 1.5);
      assertEquals(34.0, c[1], 1.5);
    }
    assertTrue(copies.values().stream().allMatch(n -> n == 3));
    assertTrue(flipped > 0 && flipped < 2 * trainGalaxies, "some copies mirrored, not all: " + flipped);
    IngestRuns.ingest(folder, labels, tmp.resolve("again"), "--augment", "2", "--images-per-bundle", "5");
    assertEquals(splitShards(tmp.resolve("aug")), splitShards(tmp.resolve("again")));
  }

  /** The manifest's train, validation and test shards: names, record counts, sizes and sha256. */
  static Map<String, List<Manifest.Shard>> splitShards(Path out) throws Exception {
    Map<String, List<Manifest.Shard>> shards = new HashMap<>(Manifest.read(out).shards());
    shards.remove("dead-letter");
    assertFalse(shards.isEmpty());
    return shards;
  }

  @Test
  void rerunWithSameInputsIsANoOp(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("out");
    IngestRuns.ingest(folder, labels, out);
    long before = Files.getLastModifiedTime(out.resolve("manifest.json")).toMillis();
    List<String> records = Fixtures.fingerprint(out);
    IngestRuns.Run again = IngestRuns.ingest(folder, labels, out);
    assertTrue(again.result().skipped());
    assertTrue(again.output().contains("Skipped"), again.output());
    assertEquals(before, Files.getLastModifiedTime(out.resolve("manifest.json")).toMillis());
    // Other parameters: a real run that replaces the output.
    IngestRuns.Run changed = IngestRuns.ingest(folder, labels, out, "--output-size", "23");
    assertFalse(changed.result().skipped());
    assertEquals(23, Fixtures.readGalaxies(out.resolve("train")).get(0).getWidth());
    assertNotEquals(records, Fixtures.fingerprint(out));
  }

  @Test
  void unlabelledImagesBecomeTheTestSplit(@TempDir Path tmp) throws Exception {
    Manifest m = IngestRuns.ingest(folder, null, tmp.resolve("test"), "--records-per-shard", "15").result().manifest();
    List<Galaxy> test = Fixtures.readGalaxies(tmp.resolve("test/test"));
    assertEquals(GALAXIES, test.size());
    assertTrue(test.stream().allMatch(g -> g.getSplit() == Split.TEST && g.getLabels() == null));
    assertEquals(Map.of("TEST", (long) GALAXIES), m.records());
    assertNull(m.maxMeanDifference());
    assertFalse(Files.exists(tmp.resolve("test/train")));
    // ceil(40 / 15) = 3 shards.
    assertEquals(3, Fixtures.files(tmp.resolve("test/test")).size());
    // Named like Beam's FileIO, Snappy like AvroIO, and WriteShards' temporary bundle files are gone.
    for (Path shard : Fixtures.files(tmp.resolve("test/test"))) {
      assertTrue(shard.getFileName().toString().matches("part-0000[0-2]-of-00003\\.avro"), shard.toString());
      try (org.apache.avro.file.DataFileReader<Galaxy> r =
          new org.apache.avro.file.DataFileReader<>(shard.toFile(), new org.apache.avro.specific.SpecificDatumReader<>(Galaxy.class))) {
        assertEquals("snappy", r.getMetaString("avro.codec"));
      }
    }
    try (Stream<Path> inOutput = Files.list(tmp.resolve("test"))) {
      assertTrue(inOutput.noneMatch(p -> p.getFileName().toString().startsWith(".")));
    }
  }

  @Test
  void labelRowsMostlyWithoutImagesAreWarnedAbout(@TempDir Path tmp) throws Exception {
    // A part of the download (here 3 of 40 images) ingests, and says that most label rows found nothing.
    Path part = Files.createDirectories(tmp.resolve("part"));
    for (long id : ids.subList(0, 3)) {
      Files.copy(folder.resolve(id + ".jpg"), part.resolve(id + ".jpg"));
    }
    IngestRuns.Run few = IngestRuns.ingest(part, labels, tmp.resolve("few"));
    assertTrue(few.output().contains("Warning: 37 of 40 label rows (93%) of ") && few.output().contains(
        "training_solutions_rev1.csv have no image in ") && few.output().contains("part and were left out"), few.output());
    // The first rows without an image are the examples, in the file's order (line 1 is the header).
    assertTrue(few.output().contains("training_solutions_rev1.csv:5: no-image"), few.output());
    // All images but one: no warning, the dead letter alone says it.
    Path most = Files.createDirectories(tmp.resolve("most"));
    for (long id : ids.subList(1, ids.size())) {
      Files.copy(folder.resolve(id + ".jpg"), most.resolve(id + ".jpg"));
    }
    IngestRuns.Run one = IngestRuns.ingest(most, labels, tmp.resolve("one"));
    assertTrue(one.output().contains("no-image"), one.output());
    assertFalse(one.output().contains("Warning:"), one.output());
  }

  @Test
  void onlyBadInputExitsNonZeroWithTheReason(@TempDir Path tmp) throws Exception {
    Path bad = tmp.resolve("bad");
    Files.createDirectories(bad);
    Files.writeString(bad.resolve("100008.jpg"), "this is not a JPEG");
    IngestRuns.Cli run = IngestRuns.cli("ingest", "--images", bad.toString(), "--out", tmp.resolve("out").toString());
    assertEquals(2, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("no usable images"), run.stderr());
    assertTrue(run.stderr().contains("bad-image"), run.stderr());
    assertFalse(Files.exists(tmp.resolve("out")));

    Path empty = tmp.resolve("empty");
    Files.createDirectories(empty);
    IngestRuns.Cli none = IngestRuns.cli("ingest", "--images", empty.toString(), "--out", tmp.resolve("out").toString());
    assertEquals(2, none.exitCode());
    assertTrue(none.stderr().contains("no images under"), none.stderr());
    Files.write(empty.resolve("100008.fits"), new byte[] {1});
    IngestRuns.Cli fits = IngestRuns.cli("ingest", "--images", empty.toString(), "--out", tmp.resolve("out").toString());
    assertEquals(2, fits.exitCode());
    assertTrue(fits.stderr().contains("1 file(s) under " + empty + " are images in a format gz does not read, left out"
        + " (e.g. 100008.fits): convert them to JPEG or PNG"), fits.stderr());
    IngestParams onlyFits = new IngestParams();
    onlyFits.images = empty.toString();
    assertThrows(UserError.class, () -> new Ingest(System.out).check(onlyFits), "refused before the stage's run opens");

    // A folder holding the download's archives (Kaggle ships zips) is pointed at the archive itself.
    Path download = Files.createDirectories(tmp.resolve("download"));
    Files.copy(data.resolve("images.zip"), download.resolve("images_training_rev1.zip"));
    IngestRuns.Cli zips = IngestRuns.cli("ingest", "--images", download.toString(), "--out", tmp.resolve("out").toString());
    assertEquals(2, zips.exitCode());
    assertTrue(zips.stderr().contains("no images under " + download) && zips.stderr().contains(
        "it holds an archive, which gz reads as they are: give one as --images, e.g. --images "
            + download.resolve("images_training_rev1.zip")), zips.stderr());

    IngestRuns.Cli missing = IngestRuns.cli("ingest", "--images", tmp.resolve("nope").toString(), "--out", tmp.resolve("out").toString());
    assertEquals(2, missing.exitCode());
    assertTrue(missing.stderr().contains("images not found"), missing.stderr());
    try (Stream<Path> left = Files.list(tmp)) {
      assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary folders left");
    }
  }

  static Map<Long, Split> splits(Path out) throws Exception {
    Map<Long, Split> splits = new HashMap<>();
    for (String s : new String[] {"train", "val"}) {
      Fixtures.readGalaxies(out.resolve(s)).forEach(g -> splits.put(g.getGalaxyId(), g.getSplit()));
    }
    return splits;
  }

  static byte[] pixels(Galaxy g) {
    byte[] px = new byte[g.getPixels().remaining()];
    g.getPixels().duplicate().get(px);
    return px;
  }

  static double[] centroid(Galaxy g) {
    return ImageOpsTest.centroid(pixels(g), g.getWidth());
  }

  static double maxMeanDifference(List<Galaxy> train, List<Galaxy> val) {
    double max = 0;
    for (int i = 0; i < 37; i++) {
      int label = i;
      double a = train.stream().mapToDouble(g -> g.getLabels().get(label)).average().orElseThrow();
      double b = val.stream().mapToDouble(g -> g.getLabels().get(label)).average().orElseThrow();
      max = Math.max(max, Math.abs(a - b));
    }
    return max;
  }
}
