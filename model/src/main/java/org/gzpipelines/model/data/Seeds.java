package org.gzpipelines.model.data;

/** Derives independent, reproducible seeds from a run seed and a position (SplitMix64 finaliser). */
public final class Seeds {

  private Seeds() {}

  /** A well-mixed seed for (seed, a, b): distinct streams for every epoch and batch. */
  public static long mix(long seed, long a, long b) {
    long z = seed * 0x9E3779B97F4A7C15L + a * 0xBF58476D1CE4E5B9L + b * 0x94D049BB133111EBL + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
