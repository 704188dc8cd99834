package org.gzpipelines.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir
  Path dir;

  @Test
  void writesTheFileAndItsFolderAndLeavesNothingElse() throws IOException {
    Path file = dir.resolve("out/results.json");
    AtomicFiles.writeString(file, "{\"a\": 1}");
    AtomicFiles.writeString(file, "{\"a\": 2}");
    assertEquals("{\"a\": 2}", Files.readString(file));
    assertEquals(List.of(file), files());
  }

  @Test
  void aWriterThatFailsHalfwayKeepsTheOldFileAndNoTemporary() throws IOException {
    Path file = dir.resolve("submission.csv");
    AtomicFiles.writeString(file, "GalaxyID\n1\n");
    IOException failure = assertThrows(IOException.class, () -> AtomicFiles.write(file, tmp -> {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        out.write("GalaxyID\n".getBytes());
        throw new IOException("disk full");
      }
    }));
    assertEquals("disk full", failure.getMessage());
    assertEquals("GalaxyID\n1\n", Files.readString(file));
    assertEquals(List.of(file), files());
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }
}
