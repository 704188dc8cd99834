package org.gzpipelines.explore;

import com.google.common.hash.Hashing;
import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.gzpipelines.ingest.PickGalaxies;
import org.gzpipelines.schemas.Galaxy;

/**
 * A seeded random sample of original (un-augmented) galaxies: each gets a pseudo-random key
 * hash(seed, GalaxyID) and the {@code size} largest keys win ({@link Top} over the ids, so
 * O(size) state per worker and no pixels in it); their records are then read back from the
 * shards ({@link PickGalaxies}). Beam's {@code Sample.fixedSizeGlobally} is unseeded; this gives
 * the same images for the same seed on any runner and any sharding.
 */
public final class RandomSample extends PTransform<PCollection<GalaxyRow>, PCollectionView<List<Galaxy>>> {
  private final String dataDir;
  private final int size;
  private final int seed;

  public RandomSample(String dataDir, int size, long seed) {
    this.dataDir = dataDir;
    this.size = size;
    this.seed = Long.hashCode(seed);
  }

  @Override
  public PCollectionView<List<Galaxy>> expand(PCollection<GalaxyRow> galaxies) {
    ByHash byHash = new ByHash(seed);
    PCollectionView<List<Long>> chosen = galaxies
        .apply("Originals", Filter.by(GalaxyRow::isOriginal))
        .apply("Ids", MapElements.into(TypeDescriptors.longs()).via(GalaxyRow::galaxyId))
        .apply("TopByHash", Top.of(size, byHash))
        .apply("Chosen", Flatten.iterables())
        .apply("ChosenView", View.asList());
    return galaxies.getPipeline().begin()
        .apply("ReadChosen", new PickGalaxies(dataDir, chosen))
        .apply("InHashOrder", Top.of(size, byHash.ofGalaxies()))
        .apply(View.asSingleton());
  }

  /** Orders GalaxyIDs by their seeded hash (ties, i.e. equal ids, by id). */
  static final class ByHash implements Comparator<Long>, Serializable {
    private static final long serialVersionUID = 1L;
    private final int seed;

    ByHash(int seed) {
      this.seed = seed;
    }

    long key(long galaxyId) {
      return Hashing.murmur3_128(seed).hashLong(galaxyId).asLong();
    }

    @Override
    public int compare(Long a, Long b) {
      int byKey = Long.compare(key(a), key(b));
      return byKey != 0 ? byKey : Long.compare(a, b);
    }

    /** The same order over the galaxies' ids. */
    ByGalaxyId ofGalaxies() {
      return new ByGalaxyId(this);
    }
  }

  /** Orders galaxies by their ids' {@link ByHash} order. */
  record ByGalaxyId(ByHash byHash) implements Comparator<Galaxy>, Serializable {
    @Override
    public int compare(Galaxy a, Galaxy b) {
      return byHash.compare(a.getGalaxyId(), b.getGalaxyId());
    }
  }
}
