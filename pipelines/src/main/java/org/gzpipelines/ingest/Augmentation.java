package org.gzpipelines.ingest;

import com.google.common.hash.Hashing;
import java.util.SplittableRandom;

/**
 * The rotation and mirroring of one augmented copy, drawn from a generator seeded by
 * (seed, GalaxyID, copy): the same copy gets the same angle on every run and runner.
 */
public record Augmentation(double rotationDegrees, boolean flipped) {

  /** Copy 0 is the original image; copies 1..K get an angle in [0, 360) and a coin-flip mirror. */
  public static Augmentation of(long seed, long galaxyId, int copyIndex) {
    if (copyIndex == 0) {
      return new Augmentation(0, false);
    }
    long mixed = Hashing.murmur3_128().newHasher().putLong(seed).putLong(galaxyId).putInt(copyIndex).hash().asLong();
    SplittableRandom random = new SplittableRandom(mixed);
    return new Augmentation(random.nextDouble(360.0), random.nextBoolean());
  }
}
