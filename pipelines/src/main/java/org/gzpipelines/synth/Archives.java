package org.gzpipelines.synth;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.gzpipelines.files.AtomicFiles;

/**
 * Packs an image folder into {@code <folder>.tar.gz} or {@code <folder>.zip} the way the data is
 * handed out: entries {@code <folder>/<GalaxyID>.jpg} in name order. Entry times are fixed, so
 * the same folder gives the same archive bytes.
 */
final class Archives {

  /** 2014-04-04, the Galaxy Challenge's data release month: a fixed time for reproducible archives. */
  private static final FileTime ENTRY_TIME = FileTime.fromMillis(1_396_569_600_000L);

  private Archives() {}

  /** Writes the archive next to the folder (atomically: temp name, then rename) and returns it. */
  static Path pack(Path folder, ArchiveFormat format) throws IOException {
    String name = folder.getFileName().toString();
    Path target = folder.resolveSibling(name + format.extension());
    List<Path> files;
    try (Stream<Path> s = Files.list(folder)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    AtomicFiles.write(target, temp -> {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
        if (format == ArchiveFormat.TAR_GZ) {
          try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            write(tar, name, files, (entryName, size) -> {
              TarArchiveEntry e = new TarArchiveEntry(entryName);
              e.setSize(size);
              e.setLastModifiedTime(ENTRY_TIME);
              return e;
            });
          }
        } else {
          try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
            write(zip, name, files, (entryName, size) -> {
              ZipArchiveEntry e = new ZipArchiveEntry(entryName);
              e.setSize(size);
              e.setLastModifiedTime(ENTRY_TIME);
              return e;
            });
          }
        }
      }
    });
    return target;
  }

  private interface EntryFactory<E extends ArchiveEntry> {
    E entry(String name, long size);
  }

  private static <E extends ArchiveEntry> void write(ArchiveOutputStream<E> archive, String folder, List<Path> files,
      EntryFactory<E> factory) throws IOException {
    for (Path f : files) {
      byte[] bytes = Files.readAllBytes(f);
      archive.putArchiveEntry(factory.entry(folder + "/" + f.getFileName(), bytes.length));
      archive.write(bytes);
      archive.closeArchiveEntry();
    }
    archive.finish();
  }
}
