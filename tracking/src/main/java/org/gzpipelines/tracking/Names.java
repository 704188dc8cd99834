package org.gzpipelines.tracking;

import java.util.regex.Pattern;

/**
 * MLflow's rules for keys and values, checked when a value is logged: an offline run must not
 * collect records the server will later refuse at sync time.
 */
final class Names {
  // MLflow: alphanumerics, underscores, dashes, periods, spaces, colons and slashes; no "." or ".."
  // path segments. (No commas, which also keeps metrics.csv a plain CSV.)
  private static final Pattern KEY = Pattern.compile("[\\w./\\- :]{1,250}");
  static final int MAX_PARAM_VALUE = 6000;
  static final int MAX_TAG_VALUE = 8000;

  private Names() {}

  static String key(String kind, String key) {
    if (key == null || !KEY.matcher(key).matches() || key.startsWith("/")) {
      throw new IllegalArgumentException(
          "invalid " + kind + " name '" + key + "': MLflow allows 1-250 letters, digits, '_', '-',"
              + " '.', ' ', ':' and '/'");
    }
    for (String segment : key.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("invalid " + kind + " name '" + key + "': no '.' or '..' segments");
      }
    }
    return key;
  }

  static String paramValue(String key, String value) {
    if (value == null) {
      throw new IllegalArgumentException("param '" + key + "' has no value (null)");
    }
    if (value.length() > MAX_PARAM_VALUE) {
      throw new IllegalArgumentException(
          "param '" + key + "' is " + value.length() + " characters, over MLflow's " + MAX_PARAM_VALUE
              + "; log a value this long as an artifact instead");
    }
    return value;
  }

  static String tagValue(String key, String value) {
    if (value == null) {
      throw new IllegalArgumentException("tag '" + key + "' has no value (null)");
    }
    if (value.length() > MAX_TAG_VALUE) {
      throw new IllegalArgumentException(
          "tag '" + key + "' is " + value.length() + " characters, over MLflow's " + MAX_TAG_VALUE
              + "; log a value this long as an artifact instead");
    }
    return value;
  }

  /** An artifact folder: "" for the root, else '/'-separated segments without '.' or '..'. */
  static String artifactDir(String dir) {
    if (dir == null) {
      return "";
    }
    String d = dir.replace('\\', '/').replaceAll("^/+|/+$", "");
    for (String segment : d.split("/")) {
      if (segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("invalid artifact folder '" + dir + "': no '.' or '..' segments");
      }
    }
    return d;
  }
}
