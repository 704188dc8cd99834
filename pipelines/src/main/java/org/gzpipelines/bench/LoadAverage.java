package org.gzpipelines.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/** The machine's load, which every benchmark table notes beside its numbers. */
public final class LoadAverage {

  private LoadAverage() {}

  /** The one-minute load average, e.g. "2.4" ("-1.0" where the system gives none). */
  public static String now() {
    return String.format(Locale.ROOT, "%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }
}
