package org.gzpipelines.ingest;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A SHA-256 over the inputs' names, sizes and modification times (never their contents): one
 * stat per file, so it costs well under a second on 60,000 images where hashing the 1-2 GB of
 * JPEG bytes would cost as much as the ingest itself. Like make and rsync's quick check, it
 * notices files added, removed, replaced or rewritten; it cannot notice a same-size edit that
 * also restores the old modification time. Folder paths are relative, so moving the data
 * folder as a whole keeps the fingerprint.
 *
 * @param sha256 hex digest
 * @param imageFiles number of image files (folders) or archives (1) it covers
 */
public record InputFingerprint(String sha256, long imageFiles) {

  public static InputFingerprint of(Path images, Path labels) throws IOException {
    Hasher hasher = Hashing.sha256().newHasher();
    long count;
    if (Files.isDirectory(images)) {
      count = putFolder(hasher, images, ImageInput::isImageName);
    } else {
      hasher.putUnencodedChars(line(images.getFileName().toString(), images));
      count = 1;
    }
    if (labels != null) {
      hasher.putUnencodedChars("labels:").putUnencodedChars(line(labels.getFileName().toString(), labels));
    }
    return new InputFingerprint(hasher.hash().toString(), count);
  }

  /** The same over every file below {@code folder} (a saved model's), as a hex digest. */
  public static String ofFiles(Path folder) throws IOException {
    Hasher hasher = Hashing.sha256().newHasher();
    putFolder(hasher, folder, name -> Files.isRegularFile(folder.resolve(name)));
    return hasher.hash().toString();
  }

  /** Hashes a line per file whose relative name {@code keep} accepts, in name order; returns how many. */
  private static long putFolder(Hasher hasher, Path folder, Predicate<String> keep) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(folder)) {
      walk.filter(p -> keep.test(folder.relativize(p).toString()))
          .forEach(p -> lines.add(line(folder.relativize(p).toString(), p)));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    lines.sort(null);
    lines.forEach(l -> hasher.putUnencodedChars(l).putChar('\n'));
    return lines.size();
  }

  private static String line(String name, Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return name + "\t" + a.size() + "\t" + a.lastModifiedTime().toMillis();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
