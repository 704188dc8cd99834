package org.gzpipelines.tracking;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Local paths as they are written where other people read them (run params and tags, manifests,
 * dead letters): an absolute path under the folder gz runs in becomes relative to it, one outside
 * it keeps only its file name after {@value #ELIDED}, so that no home folder or machine layout is
 * shared. Relative paths stay as given. The absolute path stays in the local run folder only
 * ({@code meta.json}'s {@code localValues}).
 */
public final class SharedPaths {
  /** Marks a path whose folders were left out: {@code .../images.zip}. */
  public static final String ELIDED = ".../";

  private SharedPaths() {}

  /** The shared form of {@code path}. */
  public static String of(Path path) {
    Path shown = path;
    if (path.isAbsolute()) {
      Path normal = path.normalize();
      Path base = Path.of("").toAbsolutePath().normalize();
      if (!normal.startsWith(base)) {
        return ELIDED + (normal.getFileName() == null ? "" : normal.getFileName());
      }
      shown = base.relativize(normal);
    }
    String text = shown.normalize().toString().replace(File.separatorChar, '/');
    return text.isEmpty() ? "." : text;
  }

  /**
   * The local form of a value run {@code runFolder} shared in its elided form (the key as {@code
   * meta.json} keeps it, e.g. {@code params.train.data}); empty where the run kept none, so the
   * shared value is the local one, or where the folder is no run folder.
   */
  public static Optional<String> localValue(Path runFolder, String key) {
    if (runFolder == null || !LocalRunFolder.isRunFolder(runFolder)) {
      return Optional.empty();
    }
    return Optional.ofNullable(LocalRunFolder.open(runFolder).readMeta().localValues.get(key));
  }

  /** Whether {@code text} is an absolute path of this machine (and so would share its layout). */
  static boolean isAbsolute(String text) {
    if (text.length() < 2 || text.contains("://")) {
      return false;
    }
    try {
      return Path.of(text).isAbsolute();
    } catch (java.nio.file.InvalidPathException e) {
      return false;
    }
  }
}
