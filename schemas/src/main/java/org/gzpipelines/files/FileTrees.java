package org.gzpipelines.files;

import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** The one way a folder tree (or a file) is deleted: work folders, replaced outputs, staging. */
public final class FileTrees {

  private FileTrees() {}

  /** Deletes a file or folder tree if present; a symbolic link is deleted, never followed. */
  public static void delete(Path path) throws IOException {
    // Guava's recursive delete (no symlink-safe directory handles on every file system, hence ALLOW_INSECURE).
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      MoreFiles.deleteRecursively(path, RecursiveDeleteOption.ALLOW_INSECURE);
    }
  }
}
