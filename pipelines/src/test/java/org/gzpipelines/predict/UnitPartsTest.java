package org.gzpipelines.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.gzpipelines.beam.AvroFiles;
import org.gzpipelines.schemas.Prediction;
import org.gzpipelines.schemas.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A work unit's own files: in place only when the unit completes, replaced by a retry, absent after a failure. */
class UnitPartsTest {

  @Test
  void aUnitsFileAppearsWhenCompleteAndARetryReplacesIt(@TempDir Path tmp) throws Exception {
    UnitParts parts = new UnitParts(tmp.resolve("predictions").toString(), "val");
    try (UnitParts.Records<Prediction> w = parts.records(26, Prediction.class)) {
      w.append(prediction(1));
      w.append(prediction(2));
      assertEquals(List.of(), partFiles(tmp.resolve("predictions")), "nothing in place before the unit completes");
      w.commit();
    }
    Path file = tmp.resolve("predictions").resolve("part-val-1a.avro");
    assertEquals(List.of(file), partFiles(tmp.resolve("predictions")));
    assertEquals(List.of(1L, 2L), ids(file));

    try (UnitParts.Records<Prediction> retry = parts.records(26, Prediction.class)) {
      retry.append(prediction(1));
      retry.append(prediction(2));
      retry.append(prediction(3));
      retry.commit();
    }
    assertEquals(List.of(1L, 2L, 3L), ids(file), "the retry's file replaces the first attempt's");
    assertEquals(List.of(file), allFiles(tmp.resolve("predictions")), "no temporary file left");
    List<Long> read = new ArrayList<>();
    UnitParts.forEach(tmp.resolve("predictions"), Prediction.class, p -> read.add(p.getGalaxyId()));
    assertEquals(List.of(1L, 2L, 3L), read, "what the driver reads back");
  }

  @Test
  void aFailedUnitLeavesNothing(@TempDir Path tmp) throws Exception {
    UnitParts parts = new UnitParts(tmp.resolve("predictions").toString(), "test");
    assertThrows(IllegalStateException.class, () -> {
      try (UnitParts.Records<Prediction> w = parts.records(-5, Prediction.class)) {
        w.append(prediction(7));
        throw new IllegalStateException("the unit failed");
      }
    });
    assertEquals(List.of(), allFiles(tmp.resolve("predictions")));
  }

  @Test
  void aUnitsLinesAreOneFileOfThemWhenComplete(@TempDir Path tmp) throws Exception {
    UnitParts parts = new UnitParts(tmp.resolve("statistics").toString(), "test");
    try (UnitParts.Lines lines = parts.lines(-1)) {
      lines.append("1,2.5,3.0,4.0");
      lines.append("2,2.0,3.0,4.5");
      lines.commit();
    }
    Path file = tmp.resolve("statistics").resolve("part-test-ffffffffffffffff.csv");
    assertEquals(List.of(file), allFiles(tmp.resolve("statistics")));
    assertEquals(List.of("1,2.5,3.0,4.0", "2,2.0,3.0,4.5"), Files.readAllLines(file));
  }

  private static Prediction prediction(long id) {
    return Prediction.newBuilder().setGalaxyId(id).setPredictions(Collections.nCopies(37, 0.5f)).setLabels(null)
        .setSplit(Split.TEST).setModelRunId("m").build();
  }

  private static List<Long> ids(Path file) throws Exception {
    return AvroFiles.read(file, Prediction.class).stream().map(Prediction::getGalaxyId).toList();
  }

  private static List<Path> partFiles(Path dir) throws Exception {
    return allFiles(dir).stream().filter(f -> f.getFileName().toString().startsWith("part-")).toList();
  }

  private static List<Path> allFiles(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }
}
