package org.gzpipelines.predict;

import java.io.Serializable;
import java.util.Comparator;
import org.gzpipelines.schemas.Prediction;

/**
 * Orders predictions by a seeded hash of their galaxy id, so {@code Top.of(n, new
 * SeededSample(seed))} is a uniform random sample of n galaxies that is the same on every runner
 * and every run with that seed. Top keeps at most n elements per accumulator, so the state stays
 * bounded however many galaxies there are (Beam's Sample.fixedSizeGlobally is not seeded).
 */
public final class SeededSample implements Comparator<Prediction>, Serializable {

  private final long seed;

  public SeededSample(long seed) {
    this.seed = seed;
  }

  @Override
  public int compare(Prediction a, Prediction b) {
    int c = Long.compare(hash(seed, a.getGalaxyId()), hash(seed, b.getGalaxyId()));
    return c != 0 ? c : Long.compare(a.getGalaxyId(), b.getGalaxyId());
  }

  /** SplitMix64 finaliser of (seed, id): the order of a galaxy in the seed's random permutation. */
  public static long hash(long seed, long id) {
    long z = seed * 0x9E3779B97F4A7C15L + id * 0xBF58476D1CE4E5B9L + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
