package org.gzpipelines.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.gzpipelines.cli.Gz;
import org.gzpipelines.schemas.DeadLetter;
import org.gzpipelines.schemas.Galaxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input ends as a dead letter with its reason, and every good record is still written. */
class DeadLetterTest {

  @Test
  void everyBadInputIsDeadLetteredAndGoodOnesAreWritten(@TempDir Path tmp) throws Exception {
    List<Long> good = Fixtures.ids(12);
    Path images = tmp.resolve("images");
    Fixtures.writeImages(images, good, 424);
    byte[] valid = Fixtures.jpeg(Fixtures.galaxy(900_001, 424));
    Files.writeString(images.resolve("900001.jpg"), "garbage, not a JPEG");
    Files.write(images.resolve("900002.jpg"), Arrays.copyOf(valid, valid.length / 2));
    Files.write(images.resolve("900003.jpg"), Fixtures.jpeg(Fixtures.galaxy(900_003, 300)));
    BufferedImage grey = new BufferedImage(424, 424, BufferedImage.TYPE_BYTE_GRAY);
    Files.write(images.resolve("900004.jpg"), Fixtures.jpeg(grey));
    Files.write(images.resolve("galaxy-x.jpg"), valid);
    Files.write(images.resolve("900006.jpg"), valid); // an image without a labels row
    Files.write(images.resolve("900007.jpg"), valid); // an image whose labels row is bad
    Files.writeString(images.resolve("notes.txt"), "not an image: ignored");

    Path csv = tmp.resolve("labels.csv");
    List<Long> labelled = new java.util.ArrayList<>(good);
    labelled.addAll(List.of(900_001L, 900_002L, 900_003L, 900_004L));
    String nan = Fixtures.labelLine(900_010).replaceFirst(",[^,]*", ",NaN");
    String outOfRange = Fixtures.labelLine(900_011).replaceAll(",[^,]*$", ",1.25");
    Fixtures.writeLabels(csv, labelled,
        "900012,0.5,0.5",                       // wrong column count
        nan,
        outOfRange,
        Fixtures.labelLine(7).replaceFirst("^7", "G-17"), // unparsable id
        Fixtures.labelLine(900_020),            // labels without an image
        Fixtures.labelLine(good.get(0)),        // duplicate row
        Fixtures.labelLine(900_007).replaceAll(",[^,]*$", ",1.7")); // a bad row of an image

    Path out = tmp.resolve("out");
    Ingest.Result result = IngestRuns.ingest(images, csv, out).result();

    // All 12 good galaxies are written.
    Set<Long> written = new HashSet<>();
    for (String split : new String[] {"train", "val"}) {
      Fixtures.readGalaxies(out.resolve(split)).stream().map(Galaxy::getGalaxyId).forEach(written::add);
    }
    assertEquals(new HashSet<>(good), written);

    List<DeadLetter> dead = Fixtures.readDeadLetters(out);
    Map<String, String> reasonBySource = new TreeMap<>();
    dead.forEach(d -> reasonBySource.put(d.getSource(), d.getReason()));
    // Sources are named from the input's folder on: the output is shared, tmp's path is not.
    String csvRow = "labels.csv:";
    int firstExtraLine = 2 + labelled.size();
    assertReason(reasonBySource, "images/900001.jpg", "bad-image: cannot decode");
    assertReason(reasonBySource, "images/900002.jpg", "bad-image: cannot decode");
    assertReason(reasonBySource, "images/900003.jpg", "wrong-image-shape: 300x300 pixels, expected 424x424");
    assertReason(reasonBySource, "images/900004.jpg", "not-rgb: 1 channel (greyscale), expected 3 (RGB)");
    assertReason(reasonBySource, "images/galaxy-x.jpg", "bad-id: file name 'galaxy-x.jpg'");
    assertReason(reasonBySource, "images/900006.jpg", "no-labels: image of GalaxyID 900006");
    assertReason(reasonBySource, csvRow + firstExtraLine, "bad-label-row: line " + firstExtraLine + ": 3 columns, expected 38");
    assertReason(reasonBySource, csvRow + (firstExtraLine + 1), "bad-label-row: line " + (firstExtraLine + 1) + ": Class1.1 = NaN");
    assertReason(reasonBySource, csvRow + (firstExtraLine + 2), "Class11.6 = 1.25 is not a finite number in [0,1]");
    assertReason(reasonBySource, csvRow + (firstExtraLine + 3), "bad-label-row: line " + (firstExtraLine + 3) + ": GalaxyID 'G-17'");
    assertReason(reasonBySource, csvRow + (firstExtraLine + 4), "no-image: labels row for GalaxyID 900020 has no image 900020.jpg, .jpeg or .png");
    assertReason(reasonBySource, csvRow + (firstExtraLine + 5), "duplicate-id: GalaxyID " + good.get(0) + " has another labels row");
    assertReason(reasonBySource, csvRow + (firstExtraLine + 6), "bad-label-row: line " + (firstExtraLine + 6) + ": Class11.6 = 1.7");
    assertFalse(reasonBySource.containsKey("images/900007.jpg"), "one fault, one dead letter: " + reasonBySource);
    assertEquals(13, dead.size(), reasonBySource.toString());
    assertTrue(dead.stream().allMatch(d -> d.getReason().contains(" -- fix: ")), "every reason says how to fix it");
    assertFalse(reasonBySource.get("images/900004.jpg").contains("--expected-size"), "a colour problem's fix is not a size's");
    assertTrue(dead.stream().noneMatch(d -> d.getReason().contains(tmp.toString())), "no reason names an absolute path");
    assertTrue(reasonBySource.get("images/900002.jpg").contains("truncated JPEG"),
        reasonBySource.get("images/900002.jpg"));

    // Counted by kind: in the manifest, the summary and the Beam counters alike.
    Map<String, Long> expected = Map.of(
        "bad-image", 2L, "wrong-image-shape", 1L, "not-rgb", 1L, "bad-id", 1L, "no-labels", 1L,
        "bad-label-row", 5L, "no-image", 1L, "duplicate-id", 1L);
    assertEquals(expected, result.manifest().deadLetters());
    assertEquals(13, result.manifest().deadLetterTotal());
    Map<String, Long> counters = result.metricCounters().entrySet().stream()
        .collect(Collectors.toMap(e -> e.getKey().replace("dead-letter.", ""), Map.Entry::getValue));
    assertEquals(expected, counters);
    String table = result.deadLetters().table();
    assertTrue(table.contains("bad-label-row") && table.contains("e.g. " + csvRow), table);

    // The table shows three of a kind; gz dead-letters lists every one, a tab-separated line each.
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, Gz.commandLine().execute("dead-letters", out.toString(), "--kind", "bad-label-row"));
    } finally {
      System.setOut(previous);
    }
    List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(List.of(csvRow + firstExtraLine, csvRow + (firstExtraLine + 1), csvRow + (firstExtraLine + 2),
            csvRow + (firstExtraLine + 3), csvRow + (firstExtraLine + 6)),
        lines.stream().map(l -> l.split("\t")[0]).toList(), printed.toString(StandardCharsets.UTF_8));
    assertEquals(reasonBySource.get(csvRow + firstExtraLine), lines.get(0).split("\t")[1]);
    assertEquals(2, IngestRuns.cli("dead-letters", out.toString(), "--kind", "typo").exitCode());
    IngestRuns.Cli notAnOutput = IngestRuns.cli("dead-letters", images.toString());
    assertEquals(2, notAnOutput.exitCode());
    assertTrue(notAnOutput.stderr().contains("is no gz output"), notAnOutput.stderr());
  }

  @Test
  void truncatedArchivesKeepTheEntriesBeforeTheDamage(@TempDir Path tmp) throws Exception {
    Fixtures.Input raw = Fixtures.writeInput(tmp, 20, 424);
    for (Path archive : raw.writeArchives("imgs")) {
      String name = archive.getFileName().toString();
      byte[] whole = Files.readAllBytes(archive);
      Files.write(archive, Arrays.copyOf(whole, whole.length / 2));

      Path out = tmp.resolve("out-" + name);
      Ingest.Result result = IngestRuns.ingest(archive, raw.labels(), out).result();
      List<DeadLetter> dead = Fixtures.readDeadLetters(out);
      List<DeadLetter> corrupt = dead.stream().filter(d -> d.getReason().startsWith("corrupt-archive")).toList();
      assertEquals(1, corrupt.size(), name + ": " + dead);
      assertEquals(name, corrupt.get(0).getSource());
      assertFalse(corrupt.get(0).getReason().contains("null"), "says what is wrong: " + corrupt.get(0).getReason());
      long written = result.manifest().galaxies().values().stream().mapToLong(Long::longValue).sum();
      long missing = dead.stream().filter(d -> d.getReason().startsWith("no-image")).count();
      assertTrue(written >= 5 && written < 20, name + ": entries before the damage are ingested, got " + written);
      assertEquals(20, written + missing, name + ": every labelled galaxy is either written or dead-lettered");
    }
  }

  @Test
  void theContentDecidesTheFormatJpegOrPngWhateverTheName(@TempDir Path tmp) throws Exception {
    List<Long> ids = Fixtures.ids(4);
    Path images = tmp.resolve("images");
    Fixtures.writeImages(images, ids, 424);
    ImageIO.write(Fixtures.galaxy(900_101, 424), "png", images.resolve("900101.jpg").toFile()); // a PNG named .jpg
    ImageIO.write(Fixtures.galaxy(900_102, 424), "png", images.resolve("900102.png").toFile());
    ImageIO.write(Fixtures.galaxy(900_103, 424), "gif", images.resolve("900103.jpg").toFile()); // decodable, not JPEG or PNG
    Path csv = tmp.resolve("labels.csv");
    List<Long> labelled = new java.util.ArrayList<>(ids);
    labelled.addAll(List.of(900_101L, 900_102L, 900_103L));
    Fixtures.writeLabels(csv, labelled);

    Path out = tmp.resolve("out");
    IngestRuns.ingest(images, csv, out);
    Set<Long> written = new HashSet<>();
    for (String split : new String[] {"train", "val"}) {
      Fixtures.readGalaxies(out.resolve(split)).stream().map(Galaxy::getGalaxyId).forEach(written::add);
    }
    Set<Long> expected = new HashSet<>(ids);
    expected.addAll(List.of(900_101L, 900_102L));
    assertEquals(expected, written, "both PNGs are ingested, the one named .jpg too");

    List<DeadLetter> dead = Fixtures.readDeadLetters(out);
    assertEquals(1, dead.size(), dead.toString());
    assertEquals("images/900103.jpg", dead.get(0).getSource());
    String reason = dead.get(0).getReason();
    assertTrue(reason.startsWith("bad-image: cannot decode") && reason.contains("a GIF image, not JPEG or PNG")
        && reason.endsWith("it must be a readable JPEG or PNG image"), reason);
  }

  private static void assertReason(Map<String, String> reasons, String source, String expectedStart) {
    String reason = reasons.get(source);
    assertTrue(reason != null && reason.contains(expectedStart),
        "dead letter for " + source + " should contain '" + expectedStart + "' but was " + reason + "; all: " + reasons.keySet());
  }
}
