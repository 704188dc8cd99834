package org.gzpipelines.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

/** Temporary files into shards on the Direct runner: shard counts, every record once, empty shards valid, no leftovers. */
class WriteShardsTest {

  @Test
  void computedShardCountHoldsEveryRecordOnce(@TempDir Path out) throws Exception {
    // 150 records span several temporary files (64 records each at most).
    write(out, galaxies(150, Split.TRAIN), List.of(Split.TRAIN, Split.VAL), 0, 40);
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
    write(out, galaxies(3, Split.TEST), List.of(Split.TEST), 5, 1000);
    assertEquals(5, names(out.resolve("test")).size());
    assertEquals(List.of(0L, 1L, 2L), ids(out.resolve("test")));
  }

  /** The records go into temporary files as ingest writes them ({@link TempShardWriter}), then WriteShards merges those. */
  private static void write(Path out, List<Galaxy> galaxies, List<Split> splits, int numShards, int perShard) throws Exception {
    List<TempShardFile> temp = new ArrayList<>();
    for (Split split : splits) {
      TempShardWriter writer = new TempShardWriter(out.toString(), split);
      for (Galaxy g : galaxies) {
        if (g.getSplit() == split) {
          writer.append(g);
        }
      }
      temp.addAll(writer.finish());
    }
    assertTrue(temp.stream().allMatch(f -> f.records() <= WriteShards.RECORDS_PER_TEMP_FILE), temp.toString());
    Pipeline p = Pipeline.create();
    p.apply(Create.of(temp).withCoder(TempShardFile.Coder.of()))
        .apply(new WriteShards(out.toString(), splits, numShards, perShard));
    p.run().waitUntilFinish();
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
      try (DataFileReader<Galaxy> r = new DataFileReader<>(dir.resolve(name).toFile(), new SpecificDatumReader<>(Galaxy.class))) {
        r.forEach(g -> ids.add(g.getGalaxyId()));
      }
    }
    ids.sort(null);
    return ids;
  }
}
