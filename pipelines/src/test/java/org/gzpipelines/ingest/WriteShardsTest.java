package org.gzpipelines.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Create;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Temporary files into shards on the Direct runner: shard counts, every record once, empty shards
 * valid, no leftovers, and the same bytes however the records were bundled.
 */
class WriteShardsTest {

  @Test
  void computedShardCountHoldsEveryRecordOnce(@TempDir Path out) throws Exception {
    // 150 records span several temporary files (64 records each at most).
    write(out, galaxies(150, Split.TRAIN), List.of(Split.TRAIN, Split.VAL), 0, 40, 64);
    assertEquals(List.of("part-00000-of-00004.avro", "part-00001-of-00004.avro", "part-00002-of-00004.avro",
        "part-00003-of-00004.avro"), names(out.resolve("train")));
    assertEquals(LongStream.range(0, 150).boxed().toList(), ids(out.resolve("train")));
    // An empty split still gets its one (empty, valid) shard.
    assertEquals(List.of("part-00000-of-00001.avro"), names(out.resolve("val")));
    assertEquals(List.of(), ids(out.resolve("val")));
    try (Stream<Path> top = Files.list(out)) {
      assertEquals(List.of("train", "val"), top.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void fixedShardCountWritesEmptyShardsWhenRecordsAreFew(@TempDir Path out) throws Exception {
    write(out, galaxies(3, Split.TEST), List.of(Split.TEST), 5, 1000, 64);
    assertEquals(5, names(out.resolve("test")).size());
    assertEquals(List.of(0L, 1L, 2L), ids(out.resolve("test")));
  }

  @Test
  void theSameRecordsGiveTheSameShardsByteForByteHoweverTheyWereBundled(@TempDir Path dir) throws Exception {
    // An image's augmented copies (same GalaxyID) too; the bundles differ in size and order.
    List<Galaxy> records = new ArrayList<>(galaxies(90, Split.TRAIN));
    records.addAll(copies(galaxies(90, Split.TRAIN), 1));
    List<Galaxy> shuffled = new ArrayList<>(records);
    Collections.shuffle(shuffled, new Random(3));
    write(dir.resolve("a"), records, List.of(Split.TRAIN), 0, 40, 180);
    write(dir.resolve("b"), shuffled, List.of(Split.TRAIN), 0, 40, 7);
    List<String> names = names(dir.resolve("a/train"));
    assertEquals(5, names.size());
    assertEquals(names, names(dir.resolve("b/train")));
    for (String name : names) {
      assertArrayEquals(Files.readAllBytes(dir.resolve("a/train").resolve(name)),
          Files.readAllBytes(dir.resolve("b/train").resolve(name)), name);
    }
  }

  @Test
  void moreShardsThanFilesOpenAtOnceStillPutEachRecordInItsShardInOrder(@TempDir Path out) throws Exception {
    int shards = ShardMerge.FAN_OUT * 2 + 5; // one grouping pass, then groups of 2-3 shards
    List<Galaxy> records = galaxies(600, Split.TEST);
    Collections.shuffle(records, new Random(5));
    write(out, records, List.of(Split.TEST), shards, 1000, 50);
    assertEquals(LongStream.range(0, 600).boxed().toList(), ids(out.resolve("test")));
    List<String> names = names(out.resolve("test"));
    assertEquals(shards, names.size());
    for (int i = 0; i < shards; i++) {
      List<Long> inShard = new ArrayList<>();
      read(out.resolve("test").resolve(names.get(i)), g -> inShard.add(g.getGalaxyId()));
      for (long id : inShard) {
        assertEquals(i, ShardMerge.shardOf(id, shards), "galaxy " + id + " in " + names.get(i));
      }
      assertEquals(inShard.stream().sorted().toList(), inShard, names.get(i) + " is in GalaxyID order");
    }
  }

  /**
   * The records go into temporary files as ingest writes them, {@code perBundle} to a file ({@link
   * TempShardWriter}), then WriteShards merges those.
   */
  private static void write(Path out, List<Galaxy> galaxies, List<Split> splits, int numShards, int perShard,
      int perBundle) throws Exception {
    List<TempShardFile> temp = new ArrayList<>();
    for (Split split : splits) {
      List<Galaxy> ofSplit = galaxies.stream().filter(g -> g.getSplit() == split).toList();
      for (int from = 0; from < ofSplit.size(); from += perBundle) {
        TempShardWriter writer = new TempShardWriter(out.toString(), split);
        for (Galaxy g : ofSplit.subList(from, Math.min(ofSplit.size(), from + perBundle))) {
          writer.append(g);
        }
        writer.finish().ifPresent(temp::add);
      }
    }
    Pipeline p = Pipeline.create();
    p.apply(Create.of(temp).withCoder(TempShardFile.Coder.of()))
        .apply(new WriteShards(out.toString(), splits, numShards, perShard));
    p.run().waitUntilFinish();
  }

  /** The {@code index}-th augmented copy of each galaxy: same GalaxyID, other pixels. */
  private static List<Galaxy> copies(List<Galaxy> galaxies, int index) {
    return galaxies.stream().map(g -> Galaxy.newBuilder(g).setCopyIndex(index)
        .setPixels(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, (byte) index})).build()).toList();
  }

  private static List<Galaxy> galaxies(int n, Split split) {
    List<Galaxy> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(Galaxy.newBuilder().setGalaxyId(i).setLabels(null).setHeight(2).setWidth(2).setChannels(3)
          .setPixels(ByteBuffer.wrap(new byte[12])).setSplit(split).setRotationDegrees(0).setFlipped(false).setCopyIndex(0)
          .build());
    }
    return all;
  }

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  /** Sorted ids of all records of all shards (duplicates kept, so "once" is checked). */
  private static List<Long> ids(Path dir) throws Exception {
    List<Long> ids = new ArrayList<>();
    for (String name : names(dir)) {
      assertTrue(name.matches("part-\\d{5}-of-\\d{5}\\.avro"), name);
      read(dir.resolve(name), g -> ids.add(g.getGalaxyId()));
    }
    ids.sort(null);
    return ids;
  }

  private static void read(Path shard, Consumer<Galaxy> each) throws Exception {
    try (DataFileReader<Galaxy> r = new DataFileReader<>(shard.toFile(), new SpecificDatumReader<>(Galaxy.class))) {
      r.forEach(each);
    }
  }
}
