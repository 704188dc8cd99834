package org.gzpipelines.synth;

/**
 * Derives independent 64-bit seeds from a master seed, so each galaxy (and each random stream of a
 * galaxy) has its own generator: galaxies can then be made in any order, on any number of
 * threads, and still give the same bytes.
 */
final class Seeds {

  /** Salts for the independent streams of one galaxy. */
  static final long MORPHOLOGY = 0x6d6f7270L;
  static final long RENDER = 0x72656e64L;
  static final long FIELD = 0x6669656cL;
  static final long VOTES = 0x766f7465L;
  static final long NEIGHBOUR = 0x6e656967L;

  private Seeds() {}

  /** A well-mixed seed for stream {@code salt} of {@code seed} (the SplitMix64 finaliser). */
  static long mix(long seed, long salt) {
    long z = seed + 0x9E3779B97F4A7C15L * (salt + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static long mix(long seed, long salt1, long salt2) {
    return mix(mix(seed, salt1), salt2);
  }
}
