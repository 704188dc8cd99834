package org.gzpipelines.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.gzpipelines.taxonomy.Answer;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;

/** The Kaggle labels CSV: {@code GalaxyID} then the 37 vote fractions in taxonomy order. */
public final class LabelsCsv {
  /** Columns of a row: the id and 37 answers. */
  public static final int COLUMNS = 1 + GalaxyZooTaxonomy.ANSWER_COUNT;

  private LabelsCsv() {}

  /**
   * Checks the header names GalaxyID and the 37 answers in the taxonomy's order; a reordered or
   * renamed column would silently shift every label, so it is an error before any work starts.
   */
  public static void checkHeader(Path csv) throws IOException {
    String header;
    try (BufferedReader in = reader(csv.toString(), Files.newInputStream(csv))) {
      header = in.readLine();
    }
    if (header == null) {
      throw new IllegalArgumentException(csv + " is empty: expected the header " + abbreviatedHeader() + " and one row per galaxy");
    }
    String[] names = cells(stripBom(header));
    List<Answer> answers = GalaxyZooTaxonomy.answers();
    for (String separator : List.of(";", "\t")) {
      // A spreadsheet's export in a locale that writes decimal commas: every header cell, or the first, runs together.
      if (names[0].contains(separator)) {
        throw new IllegalArgumentException(csv + " line 1: the columns are separated by '"
            + (separator.equals("\t") ? "\\t" : separator) + "', not by commas: save it as comma-separated"
            + " values with '.' as the decimal point, as Kaggle's training_solutions_rev1.csv (" + abbreviatedHeader() + ")");
      }
    }
    if (names.length != COLUMNS) {
      List<String> expected = List.of(GalaxyZooTaxonomy.csvHeader().split(","));
      List<String> missing = expected.stream().filter(e -> !Arrays.asList(names).contains(e)).toList();
      List<String> extra = Arrays.stream(names).filter(n -> !expected.contains(n)).toList();
      throw new IllegalArgumentException(csv + " line 1: the header has " + names.length + " columns, expected " + COLUMNS
          + (missing.isEmpty() ? "" : "; missing: " + String.join(", ", missing))
          + (extra.isEmpty() ? "" : "; not Galaxy Zoo answers: " + String.join(", ", extra.subList(0, Math.min(5, extra.size()))))
          + " (" + abbreviatedHeader() + ")");
    }
    if (!names[0].equals(GalaxyZooTaxonomy.ID_COLUMN)) {
      throw new IllegalArgumentException(csv + " line 1: first column is '" + names[0] + "', expected GalaxyID");
    }
    for (int i = 0; i < answers.size(); i++) {
      String expected = answers.get(i).id();
      if (!names[i + 1].equals(expected)) {
        throw new IllegalArgumentException(
            csv + " line 1: column " + (i + 2) + " is '" + names[i + 1] + "', expected " + expected
                + "; the columns must be in Kaggle order (" + abbreviatedHeader() + ")");
      }
    }
  }

  /**
   * The labels CSV's text from {@code in}, the file named {@code name}: the CSV itself, the first
   * {@code .csv} in a {@code .zip} (Kaggle ships {@code training_solutions_rev1.zip}), or a
   * gzipped CSV ({@code .gz}). Bytes that are not UTF-8 read as replacement characters, so a file
   * that is no CSV fails the header check with its name instead of a decoding exception.
   */
  public static BufferedReader reader(String name, InputStream in) throws IOException {
    String lower = name.toLowerCase(Locale.ROOT);
    InputStream text = in;
    if (lower.endsWith(".zip")) {
      ZipInputStream zip = new ZipInputStream(in, StandardCharsets.UTF_8);
      ZipEntry entry = zip.getNextEntry();
      while (entry != null && (entry.isDirectory() || !entry.getName().toLowerCase(Locale.ROOT).endsWith(".csv"))) {
        entry = zip.getNextEntry();
      }
      if (entry == null) {
        zip.close();
        throw new IllegalArgumentException(name + " holds no .csv file: give the labels CSV, or a .zip holding it");
      }
      text = zip;
    } else if (lower.endsWith(".gz")) {
      text = new GZIPInputStream(in);
    }
    return new BufferedReader(new InputStreamReader(text, StandardCharsets.UTF_8));
  }

  /** A parsed data line: either an id with labels or what is wrong with it. */
  public record Parsed(Long id, float[] labels, Problem problem, String error) {
    boolean ok() {
      return problem == null;
    }
  }

  /**
   * A line's cells, trimmed, each without the double quotes that R's write.csv and Python's
   * csv.QUOTE_ALL put around it. Split by hand, not with a CSV library: every cell here is a name
   * or a number, so a quoted comma or an escaped quote (the rest of RFC 4180) cannot be valid and
   * fails the column count or the number check, naming the line.
   */
  static String[] cells(String line) {
    String[] cells = line.trim().split(",", -1);
    for (int i = 0; i < cells.length; i++) {
      String c = cells[i].trim();
      cells[i] = c.length() >= 2 && c.charAt(0) == '"' && c.charAt(c.length() - 1) == '"' ? c.substring(1, c.length() - 1).trim() : c;
    }
    return cells;
  }

  /** Parses one data line (not the header). */
  public static Parsed parse(String line) {
    String[] cells = cells(line);
    Long id = parseId(cells[0]);
    if (cells.length != COLUMNS) {
      return new Parsed(id, null, Problem.BAD_LABEL_ROW,
          cells.length + " columns, expected " + COLUMNS + " (GalaxyID + 37 values)");
    }
    if (id == null) {
      return new Parsed(null, null, Problem.BAD_LABEL_ROW, "GalaxyID '" + cells[0] + "' is not a whole number");
    }
    float[] labels = new float[GalaxyZooTaxonomy.ANSWER_COUNT];
    for (int i = 0; i < labels.length; i++) {
      String cell = cells[i + 1];
      String column = GalaxyZooTaxonomy.answers().get(i).id();
      float value;
      try {
        value = Float.parseFloat(cell);
      } catch (NumberFormatException e) {
        return new Parsed(id, null, Problem.BAD_LABEL_ROW, column + " '" + cell + "' is not a number");
      }
      if (!Float.isFinite(value) || value < 0f || value > 1f) {
        return new Parsed(id, null, Problem.BAD_LABEL_ROW, column + " = " + cell + " is not a finite number in [0,1]");
      }
      labels[i] = value;
    }
    return new Parsed(id, labels, null, null);
  }

  /**
   * A GalaxyID as written in a file name or CSV cell, or null when it is not a whole number that
   * fits a long (up to 19 digits: SDSS objids such as 1237648720693755918 do).
   */
  public static Long parseId(String text) {
    if (text.isEmpty() || text.length() > 19 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) { // 19 digits above Long.MAX_VALUE
      return null;
    }
  }

  static String stripBom(String line) {
    return line.startsWith("\uFEFF") ? line.substring(1) : line;
  }

  private static String abbreviatedHeader() {
    return "GalaxyID,Class1.1,Class1.2,...,Class11.6";
  }
}
