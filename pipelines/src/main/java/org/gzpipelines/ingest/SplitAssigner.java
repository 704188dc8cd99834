package org.gzpipelines.ingest;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.io.Serializable;
import org.gzpipelines.schemas.Split;

/**
 * The train/validation split as a pure function of the GalaxyID: a seeded 64-bit murmur3 hash
 * mapped to [0,1) and compared with the train fraction. Random-looking, reproducible on any runner
 * and any ordering, and a galaxy keeps its split when other galaxies are added or removed.
 */
public final class SplitAssigner implements Serializable {
  private final long seed;
  private final double trainFraction;
  private transient HashFunction hash;

  public SplitAssigner(long seed, double trainFraction) {
    if (!(trainFraction >= 0 && trainFraction <= 1)) {
      throw new IllegalArgumentException("train fraction " + trainFraction + " is not in [0,1]");
    }
    this.seed = seed;
    this.trainFraction = trainFraction;
  }

  public Split assign(long galaxyId) {
    if (hash == null) {
      hash = Hashing.murmur3_128((int) (seed ^ (seed >>> 32)));
    }
    long bits = hash.hashLong(galaxyId).asLong();
    double u = (bits >>> 11) * 0x1.0p-53; // top 53 bits -> uniform in [0,1)
    return u < trainFraction ? Split.TRAIN : Split.VAL;
  }
}
