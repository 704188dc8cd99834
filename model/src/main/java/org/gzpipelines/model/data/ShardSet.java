package org.gzpipelines.model.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Avro shards of one folder: a split of an ingest output, checked against its manifest by
 * {@link ShardCheck#split}, or a folder without a manifest (predictions, benchmark data) listed by
 * {@link #of}.
 */
public record ShardSet(Path dir, List<Path> shards) {

  public ShardSet {
    shards = List.copyOf(shards);
  }

  /**
   * Lists {@code <data>/<split>/part-*.avro} in name order.
   *
   * @throws IllegalArgumentException naming the folder and the fix when there are none
   */
  public static ShardSet of(Path data, String split) {
    Path dir = data.resolve(split);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          "no ingested data at " + dir + ": run gz ingest first (or point train.data / --data at its output)");
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> shards = files
          .filter(f -> f.getFileName().toString().startsWith("part-") && f.getFileName().toString().endsWith(".avro"))
          .sorted()
          .toList();
      if (shards.isEmpty()) {
        throw new IllegalArgumentException(
            "no part-*.avro shards in " + dir + ": run gz ingest first (or point train.data / --data at its output)");
      }
      return new ShardSet(dir, shards);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** Counts records from the Avro block headers without decoding them. */
  public long countRecords() {
    long n = 0;
    for (Path shard : shards) {
      n += records(shard);
    }
    return n;
  }

  /**
   * The shards in order, in consecutive groups of at most {@code maxRecords} records (a larger shard
   * forms a group alone), counted from the block headers: work units of a bounded size.
   */
  public List<List<Path>> groups(long maxRecords) {
    List<List<Path>> groups = new ArrayList<>();
    List<Path> group = new ArrayList<>();
    long inGroup = 0;
    for (Path shard : shards) {
      long n = records(shard);
      if (!group.isEmpty() && inGroup + n > maxRecords) {
        groups.add(group);
        group = new ArrayList<>();
        inGroup = 0;
      }
      group.add(shard);
      inGroup += n;
    }
    if (!group.isEmpty()) {
      groups.add(group);
    }
    return groups;
  }

  private static long records(Path shard) {
    try {
      return AvroBlocks.records(shard);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Avro shard " + shard, e);
    }
  }
}
