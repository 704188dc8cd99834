package org.gzpipelines.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.gzpipelines.synth.DatasetTruth;
import org.gzpipelines.synth.RealismComparison;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.gzpipelines.tracking.Tracking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SynthCommandTest {

  /** The bundled real sample: 48 Kaggle JPEGs. */
  private static final Path REAL = Path.of("").toAbsolutePath().getParent().resolve("samples/gz2-real");

  @TempDir Path dir;

  private record Run(int exitCode, String out, String err) {}

  private static Run gz(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Gz.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** Runs gz with {@code out} what the stage printed (to System.out). */
  private static Run gzPrinting(String... args) {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    try {
      Run run = gz(args);
      return new Run(run.exitCode(), stdout.toString(StandardCharsets.UTF_8), run.err());
    } finally {
      System.setOut(previous);
    }
  }

  @Test
  void generatesADatasetFromTheCommandLine() throws IOException {
    Path out = dir.resolve("data");
    Run run = gz("synth", "--out", out.toString(), "--count", "12", "--test-count", "8", "--seed", "3",
        "--merger-fraction", "0.25", "--test-merger-fraction", "0.5", "--noise", "0", "--size", "64",
        "--archives", "tar.gz,zip");
    assertEquals(0, run.exitCode(), run.err());
    List<String> csv = Files.readAllLines(out.resolve("training_solutions_rev1.csv"));
    assertEquals(GalaxyZooTaxonomy.csvHeader(), csv.get(0));
    assertEquals(13, csv.size());
    assertTrue(Files.exists(out.resolve("images_training_rev1.tar.gz")));
    assertTrue(Files.exists(out.resolve("images_test_rev1.zip")));
    DatasetTruth truth = DatasetTruth.read(out.resolve("truth.json"));
    assertEquals(0.25, truth.training().trueMergerFraction());
    assertEquals(0.5, truth.test().trueMergerFraction());
    assertEquals(3L, truth.seed());
    assertEquals(0.0, truth.options().noise());
  }

  @Test
  void helpExplainsEveryOption() {
    Run run = gz("synth", "--help");
    assertEquals(0, run.exitCode());
    for (String option : List.of("--out", "--count", "--test-count", "--seed", "--merger-fraction",
        "--test-merger-fraction", "--noise", "--archives", "--size", "--threads", "--compare-real", "--compare-only")) {
      assertTrue(run.out().contains(option), option + " in: " + run.out());
    }
  }

  @Test
  void badOptionsGiveAClearErrorWithoutAStackTrace() throws IOException {
    Path file = Files.writeString(dir.resolve("file.txt"), "x");
    for (String[] args : List.of(
        new String[] {"synth", "--out", dir.resolve("a").toString(), "--count", "-5"},
        new String[] {"synth", "--out", dir.resolve("b").toString(), "--merger-fraction", "1.2"},
        new String[] {"synth", "--out", dir.resolve("c").toString(), "--test-merger-fraction", "-0.5"},
        new String[] {"synth", "--out", dir.resolve("d").toString(), "--archives", "rar"},
        new String[] {"synth", "--out", file.toString(), "--count", "2", "--size", "48"})) {
      Run run = gz(args);
      assertEquals(2, run.exitCode(), String.join(" ", args) + ": " + run.err());
      assertTrue(run.err().startsWith("gz synth: "), run.err());
      assertTrue(!run.err().contains("\tat "), "no stack trace: " + run.err());
    }
    assertTrue(gz("synth", "--out", file.toString(), "--count", "2", "--size", "48").err().contains("is a file"));
  }

  @Test
  void comparesASetWrittenEarlierWithRealImagesWithoutGeneratingItAgain() throws Exception {
    Path out = dir.resolve("set");
    assertEquals(0, gz("synth", "--out", out.toString(), "--count", "12", "--size", "64").exitCode());
    byte[] truth = Files.readAllBytes(out.resolve("truth.json"));

    // A folder of figures (an explore report's, say) holds no galaxy: refused, not measured.
    Path figures = Files.createDirectories(dir.resolve("figures"));
    ImageIO.write(new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB), "png", figures.resolve("histograms.png").toFile());
    Run noGalaxies = gz("synth", "--out", out.toString(), "--compare-only", "--compare-real", figures.toString());
    assertEquals(2, noGalaxies.exitCode(), noGalaxies.err());
    assertTrue(noGalaxies.err().contains("none of the 1 images read under " + figures + " is a square galaxy cutout"
        + " (e.g. histograms.png (300x200)"), noGalaxies.err());

    // --count is the generator's: with --compare-only the set in --out is compared as it is.
    Run run = gzPrinting("synth", "--out", out.toString(), "--compare-only", "--compare-real", REAL.toString(),
        "--count", "40");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("synthetic (12)") && run.out().contains("real (48)"), run.out());
    assertTrue(Files.size(out.resolve("realism").resolve(RealismComparison.FIGURE)) > 10_000, "a real figure");
    assertArrayEquals(truth, Files.readAllBytes(out.resolve("truth.json")), "nothing generated");
    try (Stream<Path> images = Files.list(out.resolve("images_training_rev1"))) {
      assertEquals(12, images.count());
    }
    Matcher id = Pattern.compile("gz synth: run ([0-9a-f]{32})").matcher(run.out());
    assertTrue(id.find(), run.out());
    try (Tracking tracking = Tracking.fromEnvironment()) {
      Map<String, String> params = tracking.getRun(id.group(1)).params();
      assertTrue(params.get("synth.out").endsWith("set") && params.containsKey("synth.compare-real"),
          params.toString());
      assertFalse(params.containsKey("synth.count"), "the generator's keys did not make this set: " + params);
      Path artifacts = tracking.runsDir().resolve(id.group(1)).resolve("artifacts");
      assertTrue(Files.isRegularFile(artifacts.resolve("truth.json")), "the set's own options are logged");
      assertTrue(Files.isRegularFile(artifacts.resolve("realism").resolve(RealismComparison.FIGURE)));
    }
  }

  @Test
  void compareOnlyNamesTheFolderAndTheFixWhenThereIsNothingToCompare() throws IOException {
    Path none = dir.resolve("none");
    Run missing = gz("synth", "--out", none.toString(), "--compare-only", "--compare-real", REAL.toString());
    assertEquals(2, missing.exitCode(), missing.err());
    assertTrue(missing.err().contains(none.resolve("images_training_rev1") + " is not a folder")
        && missing.err().contains("run gz synth --out " + none + " without --compare-only"), missing.err());
    assertFalse(Files.exists(none), "nothing generated");

    Path empty = Files.createDirectories(dir.resolve("empty").resolve("images_training_rev1"));
    Run noImages = gz("synth", "--out", empty.getParent().toString(), "--compare-only",
        "--compare-real", REAL.toString());
    assertEquals(2, noImages.exitCode(), noImages.err());
    assertTrue(noImages.err().contains("no images (*.jpg, *.png) under " + empty), noImages.err());

    // A folder that holds something else is not one to generate into.
    Path ingested = Files.createDirectories(dir.resolve("ingested"));
    Files.writeString(ingested.resolve("manifest.json"), "{}");
    Run notASet = gz("synth", "--out", ingested.toString(), "--compare-only", "--compare-real", REAL.toString());
    assertEquals(2, notASet.exitCode(), notASet.err());
    assertTrue(notASet.err().contains(ingested + " holds something else")
        && !notASet.err().contains("without --compare-only"), notASet.err());

    Run noReal = gz("synth", "--out", empty.getParent().toString(), "--compare-only");
    assertEquals(2, noReal.exitCode(), noReal.err());
    assertTrue(noReal.err().contains("give --compare-real <folder of real Galaxy Zoo JPEGs>"), noReal.err());

    // A mistyped real folder stops a generating run before it generates.
    Path generated = dir.resolve("generated");
    Run typo = gz("synth", "--out", generated.toString(), "--count", "2", "--size", "48",
        "--compare-real", dir.resolve("gz2-rael").toString());
    assertEquals(2, typo.exitCode(), typo.err());
    assertTrue(typo.err().contains(dir.resolve("gz2-rael") + " is not a folder: give --compare-real a folder of real"),
        typo.err());
    assertFalse(Files.exists(generated), "checked before generating");
  }
}
