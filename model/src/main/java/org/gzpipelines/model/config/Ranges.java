package org.gzpipelines.model.config;

import java.util.List;

/**
 * The range checks of the parameters records' {@link ExperimentConfigFile.Validated#validate}
 * methods, worded alike: {@code 'train.batch-size': must be from 1 to 4096, was 1000000000}.
 */
public final class Ranges {
  private Ranges() {}

  /** Adds a problem unless {@code min <= value <= max}. */
  public static void check(List<String> problems, String key, long value, long min, long max) {
    if (value < min || value > max) {
      problems.add("'" + key + "': must be from " + min + " to " + max + ", was " + value);
    }
  }
}
