package org.gzpipelines.ingest;

/**
 * One encoded image as read: where it came from (a file, or {@code archive!entry}) and its bytes.
 */
public record ImageFile(String source, byte[] bytes) {

  /** The GalaxyID its name gives ({@code 100008.jpg} -> 100008), or null where it gives none. */
  public Long galaxyId() {
    return galaxyId(source);
  }

  /** The dead-letter reason for a file whose name gives no GalaxyID. */
  public String badNameReason() {
    return badNameReason(source);
  }

  /** The file name without folders, e.g. {@code 100008.jpg}. */
  static String fileName(String source) {
    int slash = Math.max(source.lastIndexOf('/'), Math.max(source.lastIndexOf('\\'), source.lastIndexOf('!')));
    return source.substring(slash + 1);
  }

  /** As {@link #galaxyId()}, for a source not yet read: the id comes from the name alone. */
  public static Long galaxyId(String source) {
    String name = fileName(source);
    int dot = name.lastIndexOf('.');
    return LabelsCsv.parseId(dot < 0 ? name : name.substring(0, dot));
  }

  /** As {@link #badNameReason()}, for a source not yet read. */
  static String badNameReason(String source) {
    return "file name '" + fileName(source) + "' is not <GalaxyID>.jpg, .jpeg or .png";
  }
}
