package org.gzpipelines.synth;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;

/**
 * Writes vote fractions as Kaggle's {@code training_solutions_rev1.csv}: gz synth's labels, and
 * bench/RealTuneSet.java's folder labels of a real sample.
 */
public final class LabelsCsv {

  private LabelsCsv() {}

  /** Writes the header and one row per galaxy (ids ascending, as Kaggle's file), to {@code file}. */
  public static void write(Path file, long[] ids, float[][] labels) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(GalaxyZooTaxonomy.csvHeader());
      w.write('\n');
      StringBuilder row = new StringBuilder(512);
      for (int i = 0; i < ids.length; i++) {
        row.setLength(0);
        row.append(ids[i]);
        for (float v : labels[i]) {
          row.append(',').append(format(v));
        }
        w.write(row.append('\n').toString());
      }
    }
  }

  /**
   * A fraction the way Kaggle's file writes it: plain decimal, at most 9 decimals, at least one
   * ({@code 0.0}, {@code 1.0}, {@code 0.616853}), never exponent notation ({@code 1.0E-4}).
   */
  static String format(float value) {
    if (value == 0) {
      return "0.0";
    }
    String s = new BigDecimal(Float.toString(value)).setScale(9, RoundingMode.HALF_EVEN)
        .stripTrailingZeros().toPlainString();
    return s.indexOf('.') < 0 ? s + ".0" : s;
  }
}
