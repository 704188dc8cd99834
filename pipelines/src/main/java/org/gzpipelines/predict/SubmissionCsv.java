package org.gzpipelines.predict;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.gzpipelines.files.AtomicFiles;
import org.gzpipelines.schemas.Split;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;

/**
 * Predictions as a Kaggle Galaxy Zoo submission: the header {@code GalaxyID,Class1.1,...,Class11.6}
 * and one row per galaxy. Each value is Java's shortest text that reads back as the same float, so
 * the CSV holds exactly the Prediction records.
 */
public final class SubmissionCsv {

  private SubmissionCsv() {}

  /**
   * The predictions under {@code predictionsDir} (Prediction records, as gz evaluate writes them),
   * read once, as one submission-format CSV per split: {@code csvs} names each split's file (a
   * split without records gets the header alone).
   */
  public static void writeBySplit(Path predictionsDir, Map<Split, Path> csvs) throws IOException {
    Map<Split, SubmissionRows> bySplit = SubmissionRows.readBySplit(predictionsDir);
    for (Map.Entry<Split, Path> csv : csvs.entrySet()) {
      write(bySplit.getOrDefault(csv.getKey(), SubmissionRows.empty()), csv.getValue());
    }
  }

  /** Writes {@code rows} into {@code csv}, replacing it only when complete. */
  static void write(SubmissionRows rows, Path csv) throws IOException {
    AtomicFiles.write(csv, tmp -> {
      try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        w.write(GalaxyZooTaxonomy.csvHeader());
        w.write('\n');
        for (Map.Entry<Long, float[]> row : rows.rows().entrySet()) {
          StringBuilder line = new StringBuilder(Long.toString(row.getKey()));
          for (float v : row.getValue()) {
            line.append(',').append(Float.toString(v));
          }
          w.write(line.append('\n').toString());
        }
      }
    });
  }
}
