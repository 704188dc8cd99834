package org.gzpipelines.tracking;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Param and tag values as a run stores them (in its local folder, which {@code gz sync} uploads,
 * and on the server): URIs without user-info ({@link Uris}) and absolute paths in their shared
 * form ({@link SharedPaths}), in a whole value ({@code train.data}) or word by word (the
 * {@code gz.command} line, {@code --opt=value} included).
 */
final class SharedValues {
  private SharedValues() {}

  /** The shared form of one value: no credentials, no absolute paths. */
  static String of(String value) {
    return transform(value, true);
  }

  /** The form the local run folder may keep: no credentials, paths as given. */
  static String local(String value) {
    return transform(value, false);
  }

  /**
   * The shared form of each value; where it differs from the local form, the local form is also
   * put into {@code originals} under {@code prefix + key} (meta.json's record of the real paths).
   */
  static Map<String, String> of(Map<String, String> values, String prefix, Map<String, String> originals) {
    Map<String, String> shared = new LinkedHashMap<>();
    values.forEach((k, v) -> {
      String s = of(v);
      shared.put(k, s);
      if (s != null && !s.equals(local(v))) {
        originals.put(prefix + k, local(v));
      }
    });
    return shared;
  }

  private static String transform(String value, boolean sharePaths) {
    if (value == null) {
      return null;
    }
    if (sharePaths && SharedPaths.isAbsolute(value)) {
      return SharedPaths.of(Path.of(value)); // a whole path, spaces and all
    }
    if (!value.contains("/")) {
      return value; // neither a path nor a URI anywhere in it
    }
    String[] words = value.split(" ", -1);
    for (int i = 0; i < words.length; i++) {
      String w = words[i];
      int eq = w.startsWith("-") ? w.indexOf('=') : -1;
      String rest = w.substring(eq + 1);
      words[i] = w.substring(0, eq + 1)
          + (sharePaths && SharedPaths.isAbsolute(rest) ? SharedPaths.of(Path.of(rest)) : Uris.withoutUserInfo(rest));
    }
    return String.join(" ", words);
  }
}
