package org.gzpipelines.predict;

import com.google.common.primitives.Floats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.gzpipelines.schemas.Prediction;
import org.gzpipelines.schemas.Split;

/**
 * The rows of a submission: the 37 predicted vote fractions of each galaxy, sorted by GalaxyID
 * (like the competition's sample submission, and so two runs diff cleanly).
 *
 * @param duplicates GalaxyIDs predicted from more than one image (one row kept each)
 */
record SubmissionRows(SortedMap<Long, float[]> rows, List<Long> duplicates) {

  /**
   * Reads the Prediction records under {@code predictionsDir} (absent when no image could be used).
   * Holds one float array per galaxy to sort them (about 200 bytes a galaxy; the records' lists of
   * boxed floats would take five times that).
   */
  static SubmissionRows read(Path predictionsDir) throws IOException {
    return read(predictionsDir, null);
  }

  /** As {@link #read(Path)}, of the records of {@code split} only (null: all). */
  static SubmissionRows read(Path predictionsDir, Split split) throws IOException {
    SortedMap<Long, float[]> rows = new TreeMap<>();
    List<Long> duplicates = new ArrayList<>();
    if (Files.isDirectory(predictionsDir)) {
      UnitParts.forEach(predictionsDir, Prediction.class, p -> {
        if (split != null && p.getSplit() != split) {
          return;
        }
        if (rows.putIfAbsent(p.getGalaxyId(), Floats.toArray(p.getPredictions())) != null) {
          duplicates.add(p.getGalaxyId());
        }
      });
    }
    return new SubmissionRows(rows, duplicates);
  }
}
