package org.gzpipelines.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.gzpipelines.schemas.Split;

/**
 * Merges each split's temporary Avro files ({@link TempShardWriter}) into {@code
 * <dir>/<split>/part-SSSSS-of-NNNNN.avro} (Snappy, like AvroIO), the same bytes at every ingest of the
 * same inputs ({@link ShardMerge}). The shard count is either fixed or computed from the split's
 * record count ({@code ceil(count / recordsPerShard)}, at least one), so shards hold about the same
 * number of records whatever the dataset size.
 *
 * <p>Hand-written rather than {@code FileIO.write().withNumShards(n)} because Beam's fixed-shard write
 * groups the records themselves by shard, and the Direct runner holds a GroupByKey's whole input in
 * memory: ingest's heap grew with the dataset. Here records are streamed into temporary files where
 * they are made; what this transform groups is their paths and record counts, and one step turns
 * the files into shards, one shard in memory at a time.
 */
public final class WriteShards extends PTransform<PCollection<TempShardFile>, PDone> {
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

  /** A hidden folder beside the split's shards for its temporary files; removed once the shards are written. */
  static String tempDir(String dir, Split split) {
    return dir + "/." + split.name().toLowerCase(Locale.ROOT) + "-bundles";
  }

  @Override
  public PDone expand(PCollection<TempShardFile> files) {
    for (Split split : splits) {
      PCollection<KV<String, Long>> tempFiles = files
          .apply("Only" + split, Filter.by((TempShardFile f) -> f.split() == split))
          .apply("PathAndCount" + split, MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
              .via((TempShardFile f) -> KV.of(f.path(), f.records())));
      PCollectionView<Iterable<KV<String, Long>>> tempFileList = tempFiles.apply("ListBundles" + split, View.asIterable());
      tempFiles
          .apply("Records" + split, Values.create())
          .apply("Total" + split, Sum.longsGlobally()) // 0 for an empty split, which still gets its shard(s)
          .apply("Write" + split, ParDo.of(new MergeIntoShards(dir + "/" + split.name().toLowerCase(Locale.ROOT),
                  tempDir(dir, split), numShards, recordsPerShard, tempFileList))
              .withSideInputs(tempFileList));
    }
    return PDone.in(files.getPipeline());
  }

  /** Shard count: the fixed one, else ceil(total / perShard), at least one. */
  static int shardCount(long total, int numShards, int perShard) {
    return numShards > 0 ? numShards : (int) Math.max(1, (total + perShard - 1) / perShard);
  }

  /**
   * Given a split's total record count and its temporary files, writes the shards ({@link
   * ShardMerge}), then deletes all temporary files.
   */
  static final class MergeIntoShards extends DoFn<Long, Void> {
    private final String splitDir;
    private final String tempDir;
    private final int numShards;
    private final int perShard;
    private final PCollectionView<Iterable<KV<String, Long>>> tempFiles;

    MergeIntoShards(String splitDir, String tempDir, int numShards, int perShard, PCollectionView<Iterable<KV<String, Long>>> tempFiles) {
      this.splitDir = splitDir;
      this.tempDir = tempDir;
      this.numShards = numShards;
      this.perShard = perShard;
      this.tempFiles = tempFiles;
    }

    @ProcessElement
    public void process(@Element Long total, ProcessContext context) throws IOException {
      List<String> files = new ArrayList<>();
      context.sideInput(tempFiles).forEach(f -> files.add(f.getKey()));
      new ShardMerge(tempDir).write(files, shardCount(total, numShards, perShard), splitDir);
      deleteTempDir();
    }

    /** Deletes every file of the temporary folder (orphans of retried bundles included), then the folder. */
    private void deleteTempDir() throws IOException {
      List<ResourceId> leftovers = new ArrayList<>();
      MatchResult match = FileSystems.match(tempDir + "/*");
      if (match.status() == MatchResult.Status.OK) {
        for (MatchResult.Metadata m : match.metadata()) {
          leftovers.add(m.resourceId());
        }
      }
      FileSystems.delete(leftovers, StandardMoveOptions.IGNORE_MISSING_FILES);
      FileSystems.delete(List.of(FileSystems.matchNewResource(tempDir, true)), StandardMoveOptions.IGNORE_MISSING_FILES);
    }
  }
}
