package org.gzpipelines.synth;

import java.util.Locale;

/** Archive formats the generator can pack an image folder into, as courses hand the data out. */
public enum ArchiveFormat {
  TAR_GZ(".tar.gz"),
  ZIP(".zip");

  private final String extension;

  ArchiveFormat(String extension) {
    this.extension = extension;
  }

  /** File name ending, with the dot: {@code .tar.gz} or {@code .zip}. */
  public String extension() {
    return extension;
  }

  /** Parses {@code tar.gz}, {@code tgz}, {@code zip} (case-insensitive, leading dot allowed). */
  public static ArchiveFormat parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith(".")) {
      t = t.substring(1);
    }
    return switch (t) {
      case "tar.gz", "tgz", "tar_gz" -> TAR_GZ;
      case "zip" -> ZIP;
      default -> throw new IllegalArgumentException(
          "Unknown archive format '" + text + "': use tar.gz or zip (comma-separated for both)");
    };
  }
}
