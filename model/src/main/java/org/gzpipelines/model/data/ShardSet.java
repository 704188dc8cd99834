package org.gzpipelines.model.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
      try {
        n += AvroBlocks.records(shard);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read Avro shard " + shard, e);
      }
    }
    return n;
  }
}
