package org.gzpipelines.predict;

import com.google.common.primitives.Floats;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.gzpipelines.mergers.PredictionFiles;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;

/**
 * Predictions as a Kaggle Galaxy Zoo submission: the header {@code GalaxyID,Class1.1,...,Class11.6}
 * and one row per galaxy, sorted by GalaxyID (like the competition's sample submission, and so two
 * runs diff cleanly). Each value is Java's shortest text that reads back as the same float, so the
 * CSV holds exactly the Prediction records.
 */
final class SubmissionCsv {

  /** What was written. @param duplicates GalaxyIDs predicted from more than one image (one row kept each) */
  record Written(long rows, List<Long> duplicates) {}

  private SubmissionCsv() {}

  /**
   * Writes the predictions under {@code predictionsDir} into {@code csv}, replacing it only when
   * complete. Holds one float array per galaxy to sort them (about 200 bytes a galaxy; the
   * records' lists of boxed floats would take five times that).
   */
  static Written write(Path predictionsDir, Path csv) throws IOException {
    Map<Long, float[]> rows = new TreeMap<>();
    List<Long> duplicates = new ArrayList<>();
    if (Files.isDirectory(predictionsDir)) { // absent when no image could be used
      PredictionFiles.forEach(predictionsDir, p -> {
        if (rows.putIfAbsent(p.getGalaxyId(), Floats.toArray(p.getPredictions())) != null) {
          duplicates.add(p.getGalaxyId());
        }
      });
    }
    Path tmp = csv.resolveSibling("." + csv.getFileName() + ".tmp");
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      w.write(GalaxyZooTaxonomy.csvHeader());
      w.write('\n');
      for (Map.Entry<Long, float[]> row : rows.entrySet()) {
        StringBuilder line = new StringBuilder(Long.toString(row.getKey()));
        for (float v : row.getValue()) {
          line.append(',').append(Float.toString(v));
        }
        w.write(line.append('\n').toString());
      }
    }
    Files.move(tmp, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new Written(rows.size(), duplicates);
  }
}
