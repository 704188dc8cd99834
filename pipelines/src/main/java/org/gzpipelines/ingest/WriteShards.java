package org.gzpipelines.ingest;

import java.util.List;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Split;

/**
 * Writes each split to {@code <dir>/<split>/part-SSSSS-of-NNNNN.avro}. The shard count is either
 * fixed or computed from the split's record count ({@code ceil(count / recordsPerShard)}), so
 * shards hold about the same number of records whatever the dataset size.
 */
public final class WriteShards extends PTransform<PCollection<Galaxy>, PDone> {
  private final String dir;
  private final List<Split> splits;
  private final int numShards;
  private final int recordsPerShard;

  public WriteShards(String dir, List<Split> splits, int numShards, int recordsPerShard) {
    this.dir = dir;
    this.splits = splits;
    this.numShards = numShards;
    this.recordsPerShard = recordsPerShard;
  }

  @Override
  public PDone expand(PCollection<Galaxy> galaxies) {
    for (Split split : splits) {
      String name = split.name().toLowerCase(java.util.Locale.ROOT);
      PCollection<Galaxy> part = galaxies.apply("Only" + split, Filter.by((Galaxy g) -> g.getSplit() == split));
      FileIO.Write<Void, Galaxy> write =
          FileIO.<Galaxy>write().via(AvroIO.sink(Galaxy.class)).to(dir + "/" + name).withPrefix("part").withSuffix(".avro");
      write = numShards > 0 ? write.withNumShards(numShards) : write.withSharding(new ShardsFromCount<>(recordsPerShard));
      part.apply("Write" + split, write);
    }
    return PDone.in(galaxies.getPipeline());
  }

  /** ceil(count / perShard) shards, at least one. */
  static final class ShardsFromCount<T> extends PTransform<PCollection<T>, PCollectionView<Integer>> {
    private final int perShard;

    ShardsFromCount(int perShard) {
      this.perShard = perShard;
    }

    @Override
    public PCollectionView<Integer> expand(PCollection<T> input) {
      int per = perShard;
      return input
          .apply("Count", Count.globally())
          .apply("Shards", MapElements.into(TypeDescriptors.integers()).via((Long n) -> (int) Math.max(1, (n + per - 1) / per)))
          .apply("AsView", View.asSingleton());
    }
  }
}
