package org.gzpipelines.model.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's peak resident memory (VmHWM of /proc/self/status): native memory of the engine
 * included, which the JVM's own heap figures miss.
 */
public final class PeakMemory {

  private PeakMemory() {}

  /** Peak RSS in MiB, or -1 where /proc is not available. */
  public static double peakRssMib() {
    return field("VmHWM:");
  }

  private static double field(String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(name)) {
          String[] parts = line.substring(name.length()).trim().split("\\s+");
          return Long.parseLong(parts[0]) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
