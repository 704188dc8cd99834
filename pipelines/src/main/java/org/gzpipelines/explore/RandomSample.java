package org.gzpipelines.explore;

import com.google.common.hash.Hashing;
import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.gzpipelines.schemas.Galaxy;

/**
 * A seeded random sample of original (un-augmented) galaxies: each gets a pseudo-random key
 * hash(seed, GalaxyID) and the {@code size} largest keys win ({@link Top}, so O(size) state per
 * worker). Beam's {@code Sample.fixedSizeGlobally} is unseeded; this gives the same images for
 * the same seed on any runner and any sharding.
 */
public final class RandomSample extends PTransform<PCollection<Galaxy>, PCollectionView<List<Galaxy>>> {
  private final int size;
  private final int seed;

  public RandomSample(int size, long seed) {
    this.size = size;
    this.seed = Long.hashCode(seed);
  }

  @Override
  public PCollectionView<List<Galaxy>> expand(PCollection<Galaxy> galaxies) {
    return galaxies
        .apply("Originals", Filter.by((Galaxy g) -> g.getCopyIndex() == 0))
        .apply("TopByHash", Top.of(size, new ByHash(seed)))
        .apply(View.asSingleton());
  }

  /** Orders galaxies by the seeded hash of their id (ties, i.e. equal ids, by id). */
  static final class ByHash implements Comparator<Galaxy>, Serializable {
    private static final long serialVersionUID = 1L;
    private final int seed;

    ByHash(int seed) {
      this.seed = seed;
    }

    long key(long galaxyId) {
      return Hashing.murmur3_128(seed).hashLong(galaxyId).asLong();
    }

    @Override
    public int compare(Galaxy a, Galaxy b) {
      int byKey = Long.compare(key(a.getGalaxyId()), key(b.getGalaxyId()));
      return byKey != 0 ? byKey : Long.compare(a.getGalaxyId(), b.getGalaxyId());
    }
  }
}
