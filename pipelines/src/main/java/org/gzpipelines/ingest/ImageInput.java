package org.gzpipelines.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The forms an image input can take, recognised from the path, and which files in it are images.
 * An image is a file named {@code <GalaxyID>.jpg}, {@code .jpeg} or {@code .png} holding a JPEG or
 * PNG image: the content decides the format, not the name, so a PNG named {@code .jpg} is read as
 * the PNG it is ({@link ImageOps#decodeCentre}).
 */
public enum ImageInput {
  /** A folder tree of image files, searched recursively. */
  FOLDER,
  ZIP,
  TAR_GZ,
  TAR;

  /** The image files ingest reads, as messages and help texts name them. */
  public static final String IMAGE_FILES = "<GalaxyID>.jpg, .jpeg or .png images (JPEG or PNG)";

  /**
   * Extensions of image formats an astronomer's own cutouts come in that gz does not read (FITS
   * from survey archives, TIFF, ...). Only these are reported as left out: a folder's other files
   * (a labels CSV, a README) are not images, and naming them would bury the one notice that matters.
   */
  private static final Set<String> UNREAD_IMAGE_EXTENSIONS =
      Set.of("fits", "fit", "fts", "fz", "tif", "tiff", "gif", "bmp", "webp");

  public static ImageInput of(Path path) {
    if (Files.isDirectory(path)) {
      return FOLDER;
    }
    return archive(path.getFileName().toString()).orElseThrow(() -> new IllegalArgumentException(
        path + " is neither a folder nor a .zip, .tar.gz, .tgz or .tar archive: pass the images folder or archive"));
  }

  /** The kind of archive a file name says it is, if any. */
  private static Optional<ImageInput> archive(String fileName) {
    String name = fileName.toLowerCase(Locale.ROOT);
    if (name.startsWith("._")) {
      return Optional.empty(); // macOS metadata beside an archive, not one
    }
    if (name.endsWith(".zip")) {
      return Optional.of(ZIP);
    }
    if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
      return Optional.of(TAR_GZ);
    }
    return name.endsWith(".tar") ? Optional.of(TAR) : Optional.empty();
  }

  /** Whether a folder tree holds an image file ({@link #isImageName}); stops at the first. */
  public static boolean hasImages(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.anyMatch(ImageInput::isImageFile);
    }
  }

  /** The image files of a folder tree ({@link #isImageName}), sorted. */
  public static List<Path> files(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(ImageInput::isImageFile).sorted().toList();
    }
  }

  /** How many image files a folder tree holds ({@link #isImageName}), without keeping their names. */
  public static long count(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(ImageInput::isImageFile).count();
    }
  }

  private static boolean isImageFile(Path p) {
    return isImageName(p.getFileName().toString()) && Files.isRegularFile(p);
  }

  /**
   * A one-line notice when {@code folder}'s tree holds images in a format gz does not read (FITS,
   * TIFF, ...): every command that reads a folder skips them, so without it a folder of mixed
   * formats is scored in part without a word. Empty when there are none, or {@code folder} is an
   * archive (whose entries are named when it is read).
   */
  public static Optional<String> unreadImagesNotice(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return Optional.empty();
    }
    List<Path> unread;
    try (Stream<Path> walk = Files.walk(folder)) {
      // The name first: a stat of each of 80,000 files only to drop nearly all of them by name is wasted.
      unread = walk.filter(p -> isUnreadImageName(p.getFileName().toString()) && Files.isRegularFile(p)).sorted().toList();
    }
    if (unread.isEmpty()) {
      return Optional.empty();
    }
    List<String> examples = unread.stream().limit(3).map(p -> folder.relativize(p).toString()).toList();
    return Optional.of(unread.size() + " file(s) under " + folder + " are images in a format gz does not read, left out"
        + " (e.g. " + String.join(", ", examples) + "): convert them to JPEG or PNG cutouts to include them");
  }

  /**
   * What to add to "holds no images" for {@code folder}: the archives in it (Kaggle ships its
   * images as images_training_rev1.zip and images_test_rev1.zip, which gz reads without unpacking,
   * but only when --images names the archive itself) and the images in formats gz does not read;
   * each as "; ...", or "" when there are neither.
   */
  public static String noImagesHints(Path folder) throws IOException {
    List<Path> archives;
    try (Stream<Path> walk = Files.walk(folder, 2)) {
      archives = walk.filter(p -> archive(p.getFileName().toString()).isPresent() && Files.isRegularFile(p)).sorted().toList();
    }
    String hints = archives.isEmpty() ? "" : "; it holds " + (archives.size() == 1 ? "an archive" : archives.size() + " archives")
        + ", which gz reads as they are: give one as --images, e.g. --images " + archives.get(0)
        + (archives.size() > 1 ? " (or " + String.join(", ", archives.stream().skip(1).limit(3).map(Path::toString).toList()) + ")" : "");
    return hints + unreadImagesNotice(folder).map(n -> "; " + n).orElse("");
  }

  private static boolean isUnreadImageName(String name) {
    int dot = name.lastIndexOf('.');
    return !name.startsWith("._") && dot > 0
        && UNREAD_IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** Whether a file or archive entry name is an image ingest reads (other files are ignored). */
  public static boolean isImageName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    int slash = Math.max(lower.lastIndexOf('/'), lower.lastIndexOf('\\'));
    String base = lower.substring(slash + 1);
    // Skip macOS metadata ("__MACOSX/", "._x.jpg") that zip tools add next to real images.
    if (base.startsWith("._") || lower.contains("__macosx/")) {
      return false;
    }
    return base.endsWith(".jpg") || base.endsWith(".jpeg") || base.endsWith(".png");
  }
}
