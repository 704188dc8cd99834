package org.gzpipelines.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    String[] names = stripBom(header).trim().split(",", -1);
    List<Answer> answers = GalaxyZooTaxonomy.answers();
    if (names.length != COLUMNS) {
      throw new IllegalArgumentException(
          csv + " line 1: the header has " + names.length + " columns, expected " + COLUMNS + " (" + abbreviatedHeader() + ")");
    }
    if (!names[0].trim().equals(GalaxyZooTaxonomy.ID_COLUMN)) {
      throw new IllegalArgumentException(csv + " line 1: first column is '" + names[0] + "', expected GalaxyID");
    }
    for (int i = 0; i < answers.size(); i++) {
      String expected = answers.get(i).id();
      if (!names[i + 1].trim().equals(expected)) {
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

  /** Parses one data line (not the header). */
  public static Parsed parse(String line) {
    String[] cells = line.trim().split(",", -1);
    Long id = parseId(cells[0].trim());
    if (cells.length != COLUMNS) {
      return new Parsed(id, null, Problem.BAD_LABEL_ROW,
          cells.length + " columns, expected " + COLUMNS + " (GalaxyID + 37 values)");
    }
    if (id == null) {
      return new Parsed(null, null, Problem.BAD_ID, "GalaxyID '" + cells[0].trim() + "' is not a whole number");
    }
    float[] labels = new float[GalaxyZooTaxonomy.ANSWER_COUNT];
    for (int i = 0; i < labels.length; i++) {
      String cell = cells[i + 1].trim();
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
