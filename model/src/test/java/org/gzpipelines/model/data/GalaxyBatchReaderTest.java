package org.gzpipelines.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gzpipelines.model.testing.SyntheticShards;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Split;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GalaxyBatchReaderTest {

  static final int SIZE = 12;
  @TempDir static Path dir;
  static ShardSet train;
  static Map<Long, Galaxy> written = new HashMap<>();

  @BeforeAll
  static void writeShards() throws Exception {
    SyntheticShards synth = new SyntheticShards(SIZE);
    synth.write(dir, 250, 20, 11);
    for (Galaxy g : synth.galaxies(Split.TRAIN, 250, 11)) {
      written.put(g.getGalaxyId(), g);
    }
    train = ShardSet.of(dir, "train");
  }

  static List<HostBatch> readAll(GalaxyBatchReader.Options o, int epoch, long skip) {
    List<HostBatch> out = new ArrayList<>();
    try (GalaxyBatchReader r = GalaxyBatchReader.open(train, o, epoch, skip)) {
      r.forEachRemaining(out::add);
    }
    return out;
  }

  static List<Long> ids(List<HostBatch> batches) {
    List<Long> ids = new ArrayList<>();
    for (HostBatch b : batches) {
      for (long id : b.ids()) {
        ids.add(id);
      }
    }
    return ids;
  }

  @Test
  void roundTripsPixelsAndLabelsBitForBit() {
    assertEquals(3, train.shards().size());
    assertEquals(250, train.countRecords());
    List<HostBatch> batches = readAll(GalaxyBatchReader.Options.sequential(32), 0, 0);
    int imageBytes = SIZE * SIZE * 3;
    int seen = 0;
    for (HostBatch b : batches) {
      for (int i = 0; i < b.size(); i++) {
        Galaxy g = written.get(b.ids()[i]);
        byte[] expected = new byte[imageBytes];
        g.getPixels().duplicate().get(expected);
        byte[] actual = new byte[imageBytes];
        System.arraycopy(b.pixels(), i * imageBytes, actual, 0, imageBytes);
        assertArrayEquals(expected, actual);
        for (int j = 0; j < 37; j++) {
          assertEquals(Float.floatToIntBits(g.getLabels().get(j)), Float.floatToIntBits(b.labels()[i * 37 + j]));
        }
        seen++;
      }
    }
    assertEquals(250, seen);
    assertEquals(8, batches.size()); // 7 full batches of 32 and one of 26
    assertEquals(26, batches.get(7).size());
  }

  @Test
  void shuffleIsASeededPermutationPerEpoch() {
    GalaxyBatchReader.Options o = new GalaxyBatchReader.Options(16, true, 50, 5, 3, 0);
    List<Long> e0 = ids(readAll(o, 0, 0));
    List<Long> e0again = ids(readAll(o, 0, 0));
    List<Long> e1 = ids(readAll(o, 1, 0));
    List<Long> sequential = ids(readAll(GalaxyBatchReader.Options.sequential(16), 0, 0));
    assertEquals(e0, e0again);
    assertNotEquals(e0, e1);
    assertNotEquals(sequential, e0);
    assertEquals(new java.util.TreeSet<>(sequential), new java.util.TreeSet<>(e0));
    assertEquals(250, e0.size());
  }

  @Test
  void skippingBatchesResumesTheSameOrder() {
    GalaxyBatchReader.Options o = new GalaxyBatchReader.Options(16, true, 50, 5, 2, 0);
    List<HostBatch> all = readAll(o, 3, 0);
    List<HostBatch> tail = readAll(o, 3, 5);
    assertEquals(ids(all.subList(5, all.size())), ids(tail));
    assertEquals(5, tail.get(0).index());
  }

  @Test
  void recordLimitStopsEarly() {
    assertEquals(40, ids(readAll(GalaxyBatchReader.Options.sequential(16).withMaxRecords(40), 0, 0)).size());
  }

  @Test
  void imagesBecomeNchwFloatsInUnitRange() {
    HostBatch b = readAll(GalaxyBatchReader.Options.sequential(4), 0, 0).get(0);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = b.images(m);
      assertEquals(new ai.djl.ndarray.types.Shape(4, 3, SIZE, SIZE), x.getShape());
      float[] v = x.toFloatArray();
      for (int n = 0; n < 4; n++) {
        for (int c = 0; c < 3; c++) {
          for (int y = 0; y < SIZE; y++) {
            for (int xx = 0; xx < SIZE; xx++) {
              int hwc = ((n * SIZE + y) * SIZE + xx) * 3 + c;
              float expected = (b.pixels()[hwc] & 0xff) / 255f;
              assertEquals(expected, v[((n * 3 + c) * SIZE + y) * SIZE + xx], 1e-7);
            }
          }
        }
      }
      assertEquals(new ai.djl.ndarray.types.Shape(4, 37), b.labels(m).getShape());
    }
  }

  @Test
  void missingDataSaysRunIngestFirst() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShardSet.of(dir.resolve("nope"), "train"));
    assertTrue(e.getMessage().contains("run gz ingest first"), e.getMessage());
  }

  @Test
  void wrongPixelCountNamesTheGalaxyAndShard() throws Exception {
    Path bad = dir.resolve("bad/train");
    java.nio.file.Files.createDirectories(bad);
    Galaxy g = written.values().iterator().next();
    Galaxy broken = Galaxy.newBuilder(g).setPixels(ByteBuffer.wrap(new byte[5])).build();
    try (var w = new org.apache.avro.file.DataFileWriter<Galaxy>(new org.apache.avro.specific.SpecificDatumWriter<>(Galaxy.class))) {
      w.create(Galaxy.getClassSchema(), bad.resolve("part-00000.avro").toFile());
      w.append(broken);
    }
    try (GalaxyBatchReader r = GalaxyBatchReader.open(ShardSet.of(dir.resolve("bad"), "train"),
        GalaxyBatchReader.Options.sequential(4), 0, 0)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::hasNext);
      assertTrue(e.getMessage().contains(Long.toString(g.getGalaxyId())) && e.getMessage().contains("part-00000.avro"),
          e.getMessage());
    }
  }
}
