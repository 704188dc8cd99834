package org.gzpipelines.explore;

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
 * Re-reads a few original images ({@code <GalaxyID>.jpg}) from the input ingest read: a folder
 * (searched recursively), a .zip, or a .tar / .tar.gz / .tgz (scanned once, stopping when all are
 * found). Only a handful of images: the before/after figure.
 */
final class OriginalImages {
  private OriginalImages() {}

  /** The images found, by GalaxyID; missing ids are simply absent. */
  static Map<Long, BufferedImage> read(Path input, Set<Long> ids) throws IOException {
    Map<Long, BufferedImage> found = new HashMap<>();
    String name = input.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (Files.isDirectory(input)) {
      Set<String> wanted = fileNames(ids);
      try (Stream<Path> files = Files.walk(input)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          String file = f.getFileName().toString();
          if (wanted.contains(file)) {
            put(found, file, Files.readAllBytes(f));
          }
        }
      }
    } else if (name.endsWith(".zip")) {
      try (ZipFile zip = ZipFile.builder().setPath(input).get()) {
        for (var e : (Iterable<org.apache.commons.compress.archivers.zip.ZipArchiveEntry>) zip.getEntries()::asIterator) {
          String file = baseName(e.getName());
          if (fileNames(ids).contains(file)) {
            try (InputStream in = zip.getInputStream(e)) {
              put(found, file, in.readAllBytes());
            }
          }
        }
      }
    } else if (name.endsWith(".tar") || name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
      InputStream raw = new java.io.BufferedInputStream(Files.newInputStream(input));
      try (ArchiveInputStream<?> tar = new TarArchiveInputStream(
          name.endsWith(".tar") ? raw : new GzipCompressorInputStream(raw))) {
        Set<String> wanted = new HashSet<>(fileNames(ids));
        ArchiveEntry e;
        while (!wanted.isEmpty() && (e = tar.getNextEntry()) != null) {
          String file = baseName(e.getName());
          if (wanted.remove(file)) {
            put(found, file, tar.readAllBytes());
          }
        }
      }
    }
    return found;
  }

  private static Set<String> fileNames(Set<Long> ids) {
    Set<String> names = new HashSet<>();
    ids.forEach(id -> names.add(id + ".jpg"));
    return names;
  }

  private static String baseName(String entry) {
    return entry.substring(entry.lastIndexOf('/') + 1);
  }

  private static void put(Map<Long, BufferedImage> found, String file, byte[] bytes) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
    if (image != null) {
      found.put(Long.parseLong(file.substring(0, file.length() - 4)), image);
    }
  }
}
