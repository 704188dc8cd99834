package org.gzpipelines.ingest;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntUnaryOperator;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.gzpipelines.beam.AvroFiles;
import org.gzpipelines.schemas.Galaxy;

/**
 * One split's shards from its temporary files ({@link TempShardWriter}), the same bytes however the
 * runner bundled the records: a record's shard is a hash of its GalaxyID (an image's augmented
 * copies stay together), a shard's records are ordered by GalaxyID and copy, and its Avro sync
 * marker is derived from its name ({@link AvroFiles#createReproducible}).
 *
 * <p>Why: which records share a temporary file is the runner's choice (its bundles and threads), so
 * shards made of whole temporary files held other galaxies in another order after every ingest of
 * the same images. Training reads the shards in order through a seeded shuffle buffer, so the same
 * config and seed trained a different model after each fresh ingest (the demo's model called 0.6%
 * to 14.7% of real galaxies mergers across fresh clones), and the manifest's checksums could not
 * tell two ingests of the same data apart from two different datasets.
 *
 * <p>Hand-written because Beam's sharded writes assign records to shards at random and group the
 * records themselves (which the Direct runner holds in memory). Here the records are distributed
 * to uncompressed staging files, at most {@link #FAN_OUT} open at once (more shards take one more
 * pass per factor of {@link #FAN_OUT}), then each shard is sorted in memory and written: one
 * shard's records are in memory at a time. Every record is decoded and encoded again twice, where
 * whole compressed blocks used to be copied; docs/BENCHMARKS.md ("Ingest at scale") has the cost.
 */
final class ShardMerge {

  /**
   * Files open for writing at once: bounds file handles and write buffers (about 150 KB each, so
   * 38 MB). Up to this many shards (38,400 records at the default 150 a shard) take one
   * distributing pass; 61,578 images' 330 training shards took two at 64.
   */
  static final int FAN_OUT = 256;

  /** Not the split's hash (SplitAssigner): within one split that one is skewed by construction. */
  private static final HashFunction SHARD_HASH = Hashing.murmur3_32_fixed(0x5eed);

  private static final Comparator<Galaxy> ORDER =
      Comparator.comparingLong(Galaxy::getGalaxyId).thenComparingInt(Galaxy::getCopyIndex);

  private final String workDir;

  /** Staging files go to {@code workDir} (the split's temporary folder, deleted by the caller). */
  ShardMerge(String workDir) {
    this.workDir = workDir;
  }

  /** The shard, of {@code shards}, of galaxy {@code galaxyId}'s records. */
  static int shardOf(long galaxyId, int shards) {
    return Math.floorMod(SHARD_HASH.hashLong(galaxyId).asInt(), shards);
  }

  /** Writes the records of {@code inputs} as {@code shards} shards, {@code splitDir/part-SSSSS-of-NNNNN.avro}. */
  void write(List<String> inputs, int shards, String splitDir) throws IOException {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      all.add(i);
    }
    Map<Integer, String> staged = new HashMap<>();
    partition(inputs, all, shards, staged);
    for (int i = 0; i < shards; i++) {
      String name = String.format("part-%05d-of-%05d.avro", i, shards);
      writeSorted(staged.get(i), workDir + "/" + name, splitDir + "/" + name, name);
    }
  }

  /**
   * Distributes the records of {@code inputs} that belong to {@code targets} (sorted shard numbers)
   * into one staging file per shard, in {@code staged}. More targets than {@link #FAN_OUT} are first
   * gathered into {@link #FAN_OUT} groups (by position modulo the fan-out), each then partitioned alone.
   */
  private void partition(List<String> inputs, List<Integer> targets, int shards, Map<Integer, String> staged)
      throws IOException {
    IntUnaryOperator position = s -> Collections.binarySearch(targets, s);
    if (targets.size() <= FAN_OUT) {
      List<String> files = distribute(inputs, targets.size(), position, shards);
      for (int p = 0; p < targets.size(); p++) {
        if (files.get(p) != null) {
          staged.put(targets.get(p), files.get(p));
        }
      }
      return;
    }
    List<String> groups = distribute(inputs, FAN_OUT, s -> position.applyAsInt(s) % FAN_OUT, shards);
    for (int g = 0; g < FAN_OUT; g++) {
      List<Integer> members = new ArrayList<>();
      for (int p = g; p < targets.size(); p += FAN_OUT) {
        members.add(targets.get(p));
      }
      if (groups.get(g) != null) {
        partition(List.of(groups.get(g)), members, shards, staged);
        delete(groups.get(g));
      }
    }
  }

  /** Copies each record of {@code inputs} into output {@code bucket(shard)}; an output no record reaches is null. */
  private List<String> distribute(List<String> inputs, int outputs, IntUnaryOperator bucket, int shards)
      throws IOException {
    List<String> paths = new ArrayList<>(Collections.nCopies(outputs, null));
    List<DataFileWriter<Galaxy>> writers = new ArrayList<>(Collections.nCopies(outputs, null));
    try {
      for (String input : inputs) {
        try (DataFileStream<Galaxy> reader = open(input)) {
          Galaxy g = null;
          while (reader.hasNext()) {
            g = reader.next(g); // reused: its pixel buffer too, since records are copied out one at a time
            int b = bucket.applyAsInt(shardOf(g.getGalaxyId(), shards));
            if (writers.get(b) == null) {
              // A fresh name per file, as TempShardWriter's: a retried step leaves unlisted orphans only.
              paths.set(b, workDir + "/stage-" + UUID.randomUUID() + ".avro");
              writers.set(b, AvroFiles.createScratch(FileSystems.matchNewResource(paths.get(b), false), Galaxy.class));
            }
            writers.get(b).append(g);
          }
        }
      }
    } finally {
      for (DataFileWriter<Galaxy> w : writers) {
        if (w != null) {
          w.close();
        }
      }
    }
    return paths;
  }

  /** Sorts one shard's records (none when {@code staging} is null) and renames the result into place. */
  private static void writeSorted(String staging, String temp, String target, String name) throws IOException {
    List<Galaxy> records = new ArrayList<>();
    if (staging != null) {
      try (DataFileStream<Galaxy> reader = open(staging)) {
        reader.forEach(records::add);
      }
    }
    records.sort(ORDER);
    ResourceId tempFile = FileSystems.matchNewResource(temp, false);
    try (DataFileWriter<Galaxy> out = AvroFiles.createReproducible(tempFile, Galaxy.class, name)) {
      for (Galaxy g : records) {
        out.append(g);
      }
    }
    // Rename into place, so a shard is never seen half-written.
    FileSystems.rename(List.of(tempFile), List.of(FileSystems.matchNewResource(target, false)));
    if (staging != null) {
      delete(staging);
    }
  }

  private static DataFileStream<Galaxy> open(String path) throws IOException {
    InputStream in = Channels.newInputStream(FileSystems.open(FileSystems.matchSingleFileSpec(path).resourceId()));
    return new DataFileStream<>(in, new SpecificDatumReader<>(Galaxy.class));
  }

  private static void delete(String path) throws IOException {
    FileSystems.delete(List.of(FileSystems.matchNewResource(path, false)), StandardMoveOptions.IGNORE_MISSING_FILES);
  }
}
