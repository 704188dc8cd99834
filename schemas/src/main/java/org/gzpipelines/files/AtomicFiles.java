package org.gzpipelines.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file so that no reader, and no later run after a kill or Ctrl-C, ever sees it half
 * written: the content goes to a hidden sibling ({@code .<name>.tmp}), which is renamed over the
 * file only when complete and deleted when writing fails.
 *
 * <p>Hand-written because neither Guava nor the JDK has this for a file written by another
 * library's writer (Jackson, ImageIO, Parquet, XChart): each stage's results, figures and
 * manifests go through it. Folders are swapped by their own owners (ingest's staging folder,
 * saved models, checkpoints), which must also clear what they replace.
 */
public final class AtomicFiles {

  /** Writes the content into the given (temporary) path. */
  @FunctionalInterface
  public interface Content {
    void writeTo(Path temporary) throws IOException;
  }

  private AtomicFiles() {
  }

  /** Writes {@code file} through a hidden temporary sibling and a rename, creating its folder. */
  public static void write(Path file, Content content) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temporary = parent.resolve("." + file.getFileName() + ".tmp");
    try {
      content.writeTo(temporary);
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(temporary);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup); // the writer's failure is the one to report
      }
      throw e;
    }
  }

  /** Writes {@code text} (UTF-8) into {@code file}. */
  public static void writeString(Path file, String text) throws IOException {
    write(file, temporary -> Files.writeString(temporary, text));
  }
}
