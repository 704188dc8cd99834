package org.gzpipelines.ingest;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Re-reads a few original images ({@code <GalaxyID>.jpg}, {@code .jpeg} or {@code .png}, as
 * ingest reads them) from the input ingest read: a folder (searched recursively), a .zip, or a
 * .tar / .tar.gz / .tgz (scanned once, stopping when all are found). Only a handful of images: the
 * explore report's before/after figure, the merger report's candidates as volunteers saw them.
 */
public final class OriginalImages {
  private OriginalImages() {}

  /** The images found, by GalaxyID; missing ids are simply absent. */
  public static Map<Long, BufferedImage> read(Path input, Set<Long> ids) throws IOException {
    Map<Long, BufferedImage> found = new HashMap<>();
    String name = input.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (Files.isDirectory(input)) {
      try (Stream<Path> files = Files.walk(input)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Long id = wanted(f.getFileName().toString(), ids);
          if (id != null && Files.isRegularFile(f)) {
            put(found, id, Files.readAllBytes(f));
          }
        }
      }
    } else if (name.endsWith(".zip")) {
      try (ZipFile zip = ZipFile.builder().setPath(input).get()) {
        for (var e : (Iterable<org.apache.commons.compress.archivers.zip.ZipArchiveEntry>) zip.getEntries()::asIterator) {
          Long id = wanted(e.getName(), ids);
          if (id != null) {
            try (InputStream in = zip.getInputStream(e)) {
              put(found, id, in.readAllBytes());
            }
          }
        }
      }
    } else if (name.endsWith(".tar") || name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
      InputStream raw = new java.io.BufferedInputStream(Files.newInputStream(input));
      try (ArchiveInputStream<?> tar = new TarArchiveInputStream(
          name.endsWith(".tar") ? raw : new GzipCompressorInputStream(raw))) {
        Set<Long> missing = new HashSet<>(ids);
        ArchiveEntry e;
        while (!missing.isEmpty() && (e = tar.getNextEntry()) != null) {
          Long id = wanted(e.getName(), missing);
          if (id != null) {
            missing.remove(id);
            put(found, id, tar.readAllBytes());
          }
        }
      }
    }
    return found;
  }

  /** The GalaxyID of an image file or entry named for one of {@code ids}, else null. */
  private static Long wanted(String name, Set<Long> ids) {
    if (!ImageInput.isImageName(name)) {
      return null;
    }
    Long id = ImageFile.galaxyId(name);
    return id != null && ids.contains(id) ? id : null;
  }

  private static void put(Map<Long, BufferedImage> found, long id, byte[] bytes) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
    if (image != null) {
      found.put(id, image);
    }
  }
}
