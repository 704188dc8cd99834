package org.gzpipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gzpipelines.synth.DatasetTruth;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SynthCommandTest {

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
        "--test-merger-fraction", "--noise", "--archives", "--size", "--threads")) {
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
}
