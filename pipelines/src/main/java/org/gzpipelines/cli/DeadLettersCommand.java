package org.gzpipelines.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.ingest.DeadLetterSummary;
import org.gzpipelines.ingest.Problem;
import org.gzpipelines.schemas.DeadLetter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * gz dead-letters: every input a stage left out, one line each, where the console and the explore
 * report show the first few of each kind; the dead letters are Avro, which few users can read.
 */
@Command(name = "dead-letters", header = "Every input a stage left out: source and reason, one per line.",
    mixinStandardHelpOptions = true,
    description = {"Prints every dead letter of an output as tab-separated source and reason, sorted by source, and their"
        + " count on stderr: an ingested folder, gz mergers' output folder, or gz predict's <name>.dead-letter folder.",
        "e.g. gz dead-letters data/gz2 --kind bad-label-row | cut -f1"})
final class DeadLettersCommand implements Callable<Integer> {

  /** By file, then by line for a labels row ("labels.csv:100" after "labels.csv:99"), then by reason. */
  private static final Comparator<DeadLetter> BY_SOURCE = Comparator.comparing((DeadLetter d) -> file(d.getSource()))
      .thenComparingLong(d -> line(d.getSource())).thenComparing(DeadLetter::getReason);

  @Parameters(paramLabel = "FOLDER", description = "The output whose dead letters to list (or its dead-letter folder).")
  Path folder;

  @Option(names = "--kind", paramLabel = "KIND", description = "Only this kind (bad-image, wrong-image-shape, not-rgb,"
      + " bad-id, bad-label-row, no-image, no-labels, duplicate-id, corrupt-archive).")
  String kind;

  @Override
  public Integer call() throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new UserError(folder + " is not a folder: give an ingested folder, gz mergers' output folder or gz predict's"
          + " <name>.dead-letter folder");
    }
    if (kind != null && Arrays.stream(Problem.values()).noneMatch(p -> p.code().equals(kind))) {
      throw new UserError("--kind " + kind + " is not a kind of dead letter: " + String.join(", ",
          Arrays.stream(Problem.values()).map(Problem::code).toList()));
    }
    Path dir = Files.isDirectory(folder.resolve("dead-letter")) ? folder.resolve("dead-letter") : folder;
    // An output with no dead letters may have no dead-letter/ folder, but it has its manifest or its shards.
    if (dir.equals(folder) && !Files.isRegularFile(folder.resolve("manifest.json")) && !holdsAvro(folder)) {
      throw new UserError(folder + " is no gz output: it has no dead-letter/ folder, manifest.json or .avro files; give"
          + " an ingested folder, gz mergers' output folder or gz predict's <name>.dead-letter folder");
    }
    List<DeadLetter> letters = new ArrayList<>();
    try {
      DeadLetterSummary.forEach(dir, d -> {
        Problem p = Problem.of(d);
        if (kind == null || (p != null && p.code().equals(kind))) {
          letters.add(d);
        }
      });
    } catch (UncheckedIOException | IOException e) {
      throw new UserError("cannot read the dead letters in " + dir + " (" + e.getMessage() + "): give an output folder"
          + " written by gz ingest, gz mergers or gz predict");
    }
    letters.sort(BY_SOURCE);
    for (DeadLetter d : letters) {
      System.out.println(d.getSource() + "\t" + d.getReason());
    }
    System.err.println(letters.size() + " dead letter(s)" + (kind == null ? "" : " of kind " + kind) + " in " + dir);
    return 0;
  }

  private static boolean holdsAvro(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".avro"));
    }
  }

  private static String file(String source) {
    int colon = source.lastIndexOf(':');
    return colon > 0 && line(source) >= 0 ? source.substring(0, colon) : source;
  }

  /** The line of a labels row's source ({@code labels.csv:17}), else -1. */
  private static long line(String source) {
    int colon = source.lastIndexOf(':');
    String tail = colon < 0 ? "" : source.substring(colon + 1);
    return !tail.isEmpty() && tail.length() < 18 && tail.chars().allMatch(Character::isDigit) ? Long.parseLong(tail) : -1;
  }
}
