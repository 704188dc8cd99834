package org.gzpipelines.predict;

import com.google.common.primitives.Floats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
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
    return read(predictionsDir, p -> "all").getOrDefault("all", empty());
  }

  /** No rows yet; {@link #read} adds to them. */
  static SubmissionRows empty() {
    return new SubmissionRows(new TreeMap<>(), new ArrayList<>());
  }

  /** As {@link #read(Path)}, the records of each split apart, in one pass (splits without records absent). */
  static Map<Split, SubmissionRows> readBySplit(Path predictionsDir) throws IOException {
    return read(predictionsDir, Prediction::getSplit);
  }

  private static <K> Map<K, SubmissionRows> read(Path predictionsDir, Function<Prediction, K> group) throws IOException {
    Map<K, SubmissionRows> groups = new HashMap<>();
    if (Files.isDirectory(predictionsDir)) {
      UnitParts.forEach(predictionsDir, Prediction.class, p -> {
        SubmissionRows rows = groups.computeIfAbsent(group.apply(p), k -> empty());
        if (rows.rows().putIfAbsent(p.getGalaxyId(), Floats.toArray(p.getPredictions())) != null) {
          rows.duplicates().add(p.getGalaxyId());
        }
      });
    }
    return groups;
  }
}
