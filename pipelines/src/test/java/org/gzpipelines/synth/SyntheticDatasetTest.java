package org.gzpipelines.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.gzpipelines.taxonomy.Question;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generates real datasets (small frames where pixels do not matter) and checks them. */
class SyntheticDatasetTest {

  @TempDir static Path dir;

  /** 400 labelled (10% mergers) and 200 test (25% mergers) 64-pixel galaxies, with both archives. */
  private static SyntheticDataset.Result small;

  @BeforeAll
  static void generateSmall() throws IOException {
    small = SyntheticDataset.generate(
        SynthOptions.defaults().withCount(400).withTestCount(200).withSize(64).withMergerFraction(0.1)
            .withTestMergerFraction(0.25).withArchives(Set.of(ArchiveFormat.TAR_GZ, ArchiveFormat.ZIP)),
        dir.resolve("small"));
  }

  @Test
  void writesTheKaggleLayout() {
    Path out = dir.resolve("small");
    assertEquals(out.resolve("images_training_rev1"), small.imagesDir());
    assertEquals(out.resolve("training_solutions_rev1.csv"), small.labelsCsv());
    assertEquals(out.resolve("images_test_rev1"), small.testDir().orElseThrow());
    assertEquals(out.resolve("truth.json"), small.truthJson());
    assertEquals(Set.of(out.resolve("images_training_rev1.tar.gz"), out.resolve("images_training_rev1.zip"),
        out.resolve("images_test_rev1.tar.gz"), out.resolve("images_test_rev1.zip")), Set.copyOf(small.archives()));
    try (Stream<Path> s = Files.list(out)) {
      assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".partial")), "no temporary files left");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void labelsCsvHasTheExactHeaderAndSatisfiesTheDecisionTree() throws IOException {
    List<String> lines = Files.readAllLines(small.labelsCsv(), StandardCharsets.UTF_8);
    assertEquals(GalaxyZooTaxonomy.csvHeader(), lines.get(0));
    assertEquals(401, lines.size());
    Set<String> imageIds = ids(small.imagesDir());
    Set<String> rowIds = new HashSet<>();
    long previous = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      assertEquals(38, cells.length, line);
      assertTrue(cells[0].matches("[1-9][0-9]{5}"), "6-digit GalaxyID: " + cells[0]);
      long id = Long.parseLong(cells[0]);
      assertTrue(id > previous, "ids ascending");
      previous = id;
      rowIds.add(cells[0]);
      float[] labels = new float[37];
      for (int i = 0; i < 37; i++) {
        assertTrue(cells[i + 1].matches("(0|1)\\.[0-9]+"), "plain decimal like Kaggle's: " + cells[i + 1]);
        labels[i] = Float.parseFloat(cells[i + 1]);
        assertTrue(labels[i] >= 0 && labels[i] <= 1, cells[i + 1]);
      }
      for (Question q : GalaxyZooTaxonomy.questions()) {
        assertEquals(q.expectedSum(labels), q.sum(labels), 1e-5, q.label() + " of galaxy " + id);
      }
    }
    assertEquals(imageIds, rowIds, "one label row per labelled image");
    Set<String> testIds = ids(small.testDir().orElseThrow());
    assertEquals(200, testIds.size());
    testIds.retainAll(imageIds);
    assertTrue(testIds.isEmpty(), "test ids differ from training ids");
  }

  @Test
  void truthRecordsTheTrueMergerFractionOfEachSet() throws IOException {
    DatasetTruth truth = DatasetTruth.read(small.truthJson());
    assertEquals(small.truth(), truth, "truth.json reads back as written");
    assertEquals(42L, truth.seed());
    assertEquals(400, truth.training().count());
    assertEquals(400, truth.training().galaxies().size());
    long trainingMergers = truth.training().galaxies().stream().filter(SyntheticGalaxy::merger).count();
    assertEquals(trainingMergers, truth.training().mergerCount());
    assertEquals(trainingMergers / 400.0, truth.training().trueMergerFraction(), 1e-12);
    assertEquals(0.1, truth.training().trueMergerFraction(), 1.0 / 400);
    long testMergers = truth.test().galaxies().stream().filter(SyntheticGalaxy::merger).count();
    assertEquals(testMergers / 200.0, truth.test().trueMergerFraction(), 1e-12);
    assertEquals(0.25, truth.test().trueMergerFraction(), 1.0 / 200);
    assertEquals(0.25, truth.test().requestedMergerFraction());
    assertEquals(ids(small.testDir().orElseThrow()),
        truth.test().galaxies().stream().map(g -> String.valueOf(g.galaxyId())).collect(java.util.stream.Collectors.toSet()));
  }

  @Test
  void mergersHaveClearlyHigherMergerVotesAndSpiralsMoreSpiralVotes() throws IOException {
    DatasetTruth truth = DatasetTruth.read(small.truthJson());
    Map<Long, float[]> labels = readLabels(small.labelsCsv());
    int merger = GalaxyZooTaxonomy.answer("odd: merger").index();
    int spiral = GalaxyZooTaxonomy.answer("spiral: yes").index();
    int smooth = GalaxyZooTaxonomy.answer("smooth").index();
    int edgeOn = GalaxyZooTaxonomy.answer("edge-on: yes").index();
    int star = GalaxyZooTaxonomy.answer("star or artifact").index();
    double[] mergerVotes = {0, 0};
    int[] n = {0, 0};
    double spiralOfSpirals = 0;
    double spiralOfSmooth = 0;
    int spirals = 0;
    int smooths = 0;
    for (SyntheticGalaxy g : truth.training().galaxies()) {
      float[] l = labels.get(g.galaxyId());
      mergerVotes[g.merger() ? 1 : 0] += l[merger];
      n[g.merger() ? 1 : 0]++;
      if (g.spiral()) {
        spirals++;
        spiralOfSpirals += l[spiral];
      }
      switch (g.morphology()) {
        case SMOOTH -> {
          smooths++;
          spiralOfSmooth += l[spiral];
          assertTrue(l[smooth] > 0.5, "smooth galaxy " + g.galaxyId() + " has Class1.1 " + l[smooth]);
        }
        case EDGE_ON_DISK -> assertTrue(l[edgeOn] > 0.3, "edge-on " + g.galaxyId() + " has Class2.1 " + l[edgeOn]);
        case STAR_OR_ARTIFACT -> assertTrue(l[star] > 0.5, "star/artifact " + g.galaxyId() + " has Class1.3 " + l[star]);
        default -> { }
      }
    }
    double mergersMean = mergerVotes[1] / n[1];
    double othersMean = mergerVotes[0] / n[0];
    assertTrue(mergersMean > othersMean + 0.4, "mean Class8.6: mergers " + mergersMean + " others " + othersMean);
    assertTrue(spiralOfSpirals / spirals > spiralOfSmooth / smooths + 0.5, "mean Class4.1 of spirals vs ellipticals");
  }

  @Test
  void archivesHoldExactlyTheImagesOfTheirFolder() throws IOException {
    for (Path folder : List.of(small.imagesDir(), small.testDir().orElseThrow())) {
      Map<String, byte[]> expected = new TreeMap<>();
      try (Stream<Path> s = Files.list(folder)) {
        for (Path p : s.toList()) {
          expected.put(folder.getFileName() + "/" + p.getFileName(), Files.readAllBytes(p));
        }
      }
      Path tgz = folder.resolveSibling(folder.getFileName() + ".tar.gz");
      Path zip = folder.resolveSibling(folder.getFileName() + ".zip");
      try (InputStream in = Files.newInputStream(tgz);
          TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
        assertSameEntries(expected, tar);
      }
      try (InputStream in = Files.newInputStream(zip); ZipArchiveInputStream z = new ZipArchiveInputStream(in)) {
        assertSameEntries(expected, z);
      }
    }
  }

  @Test
  void sameSeedGivesSameBytesWhateverTheThreadsAndAnotherSeedDiffers() throws IOException {
    SynthOptions options = SynthOptions.defaults().withCount(24).withTestCount(6).withSize(96)
        .withMergerFraction(0.2).withArchives(Set.of(ArchiveFormat.TAR_GZ, ArchiveFormat.ZIP));
    Path a = dir.resolve("seed-a");
    Path b = dir.resolve("seed-b");
    Path c = dir.resolve("seed-c");
    SyntheticDataset.generate(options.withThreads(1), a);
    SyntheticDataset.generate(options.withThreads(3), b);
    SyntheticDataset.generate(options.withSeed(43), c);
    Map<String, byte[]> filesA = allFiles(a);
    Map<String, byte[]> filesB = allFiles(b);
    assertEquals(filesA.keySet(), filesB.keySet());
    for (String name : filesA.keySet()) {
      assertArrayEquals(filesA.get(name), filesB.get(name), name);
    }
    assertFalse(java.util.Arrays.equals(
        Files.readAllBytes(a.resolve("training_solutions_rev1.csv")), Files.readAllBytes(c.resolve("training_solutions_rev1.csv"))));
    Map<String, byte[]> filesC = allFiles(c);
    assertNotEquals(filesA.keySet(), filesC.keySet(), "another seed draws other GalaxyIDs");
  }

  @Test
  void rerunInTheSamePlaceReplacesTheOutput() throws IOException {
    Path out = dir.resolve("rerun");
    SynthOptions options = SynthOptions.defaults().withCount(10).withTestCount(4).withSize(48);
    SyntheticDataset.generate(options, out);
    SyntheticDataset.generate(options.withSeed(5).withTestCount(0), out);
    assertEquals(10, ids(out.resolve("images_training_rev1")).size());
    assertFalse(Files.exists(out.resolve("images_test_rev1")), "the stale test set is removed");
    assertEquals(5L, DatasetTruth.read(out.resolve("truth.json")).seed());
  }

  @Test
  void refusesBadOptionsAndForeignFolders() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SyntheticDataset.generate(SynthOptions.defaults().withCount(1).withSize(48), file));
    assertTrue(e.getMessage().contains("is a file"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SynthOptions.defaults().withCount(-1).validate());
    assertThrows(IllegalArgumentException.class, () -> SynthOptions.defaults().withMergerFraction(1.5).validate());
    assertThrows(IllegalArgumentException.class, () -> SynthOptions.defaults().withTestMergerFraction(-0.1).validate());
    assertThrows(IllegalArgumentException.class, () -> SynthOptions.defaults().withNoise(2).validate());
    assertThrows(IllegalArgumentException.class, () -> SynthOptions.defaults().withSize(8).validate());
    Path foreign = dir.resolve("foreign");
    Files.createDirectories(foreign.resolve("images_training_rev1"));
    Files.writeString(foreign.resolve("images_training_rev1/100001.jpg"), "someone's data");
    e = assertThrows(IllegalArgumentException.class,
        () -> SyntheticDataset.generate(SynthOptions.defaults().withCount(1).withSize(48), foreign));
    assertTrue(e.getMessage().contains("did not write"), e.getMessage());
    assertEquals("someone's data", Files.readString(foreign.resolve("images_training_rev1/100001.jpg")));
  }

  static Set<String> ids(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString())
          .peek(name -> assertTrue(name.matches("[1-9][0-9]{5}\\.jpg"), name))
          .map(name -> name.substring(0, name.length() - 4))
          .collect(java.util.stream.Collectors.toCollection(HashSet::new));
    }
  }

  static Map<Long, float[]> readLabels(Path csv) throws IOException {
    Map<Long, float[]> labels = new TreeMap<>();
    List<String> lines = Files.readAllLines(csv);
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",");
      float[] l = new float[37];
      for (int i = 0; i < 37; i++) {
        l[i] = Float.parseFloat(cells[i + 1]);
      }
      labels.put(Long.parseLong(cells[0]), l);
    }
    return labels;
  }

  private static Map<String, byte[]> allFiles(Path root) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return files;
  }

  private static <E extends ArchiveEntry> void assertSameEntries(Map<String, byte[]> expected,
      ArchiveInputStream<E> archive) throws IOException {
    Map<String, byte[]> actual = new TreeMap<>();
    for (E e = archive.getNextEntry(); e != null; e = archive.getNextEntry()) {
      actual.put(e.getName(), archive.readAllBytes());
    }
    assertEquals(expected.keySet(), actual.keySet());
    for (String name : expected.keySet()) {
      assertArrayEquals(expected.get(name), actual.get(name), name);
    }
  }
}
