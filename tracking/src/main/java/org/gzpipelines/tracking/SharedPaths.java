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

  /** The key of {@code meta.json}'s {@code localValues} that holds the folder a run ran in. */
  public static final String WORKING_FOLDER = "gz.working_folder";

  /**
   * The local path behind path param {@code param} (e.g. {@code train.data}) of run {@code
   * runFolder}: the real path the run kept where it shared an elided one, else the shared value
   * resolved against the folder the run ran in, so that a relative path ({@code demo/data}) names
   * the same folder from any other. Empty where the folder is no run folder or lacks the param.
   */
  public static Optional<Path> localPath(Path runFolder, String param) {
    if (runFolder == null || !LocalRunFolder.isRunFolder(runFolder)) {
      return Optional.empty();
    }
    LocalRunFolder folder = LocalRunFolder.open(runFolder);
    RunMeta meta = folder.readMeta();
    String kept = meta.localValues.get("params." + param);
    if (kept != null) {
      return Optional.of(Path.of(kept));
    }
    String shared = folder.readParams().get(param);
    if (shared == null) {
      return Optional.empty();
    }
    String ranIn = meta.localValues.get(WORKING_FOLDER);
    return Optional.of(ranIn == null ? Path.of(shared) : Path.of(ranIn).resolve(shared));
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
