package org.gzpipelines.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.model.testing.SyntheticShards;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shards are checked against the manifest's list, and a damaged one is named with the fix. */
class ShardCheckTest {

  @TempDir Path dir;
  Path data;
  Path shard;

  @BeforeEach
  void writeShards() throws Exception {
    data = new SyntheticShards(8).write(dir.resolve("data"), 90, 30, 3);
    shard = data.resolve("train/part-00001-of-00003.avro");
  }

  @Test
  void theManifestListsEveryShardWithItsRecordsSizeAndChecksum() throws Exception {
    Manifest m = Manifest.read(data);
    List<Manifest.Shard> train = m.shards().get("train");
    assertEquals(3, train.size());
    assertEquals(90, train.stream().mapToLong(Manifest.Shard::records).sum());
    assertEquals(30, m.shards().get("val").stream().mapToLong(Manifest.Shard::records).sum());
    Manifest.Shard s = train.get(1);
    assertEquals(shard.getFileName().toString(), s.file());
    assertEquals(30, s.records());
    assertEquals(Files.size(shard), s.bytes());
    assertEquals(64, s.sha256().length());

    ShardSet set = ShardCheck.split(data, "train");
    assertEquals(ShardSet.of(data, "train"), set);
    assertEquals(90, set.countRecords());
    // Work units: consecutive shards up to the cap, a shard above it alone.
    List<Path> shards = set.shards();
    assertEquals(List.of(List.of(shards.get(0), shards.get(1)), List.of(shards.get(2))), set.groups(60));
    assertEquals(List.of(List.of(shards.get(0)), List.of(shards.get(1)), List.of(shards.get(2))), set.groups(10));
    ShardCheck.all(data);
    assertEquals(Optional.empty(), ShardCheck.damage(data));
  }

  @Test
  void aMissingShardIsNamedWithTheFix() throws Exception {
    Files.delete(shard);
    String message = assertThrows(UserError.class, () -> ShardCheck.split(data, "train")).getMessage();
    assertEquals(shard + " is missing (manifest.json says 30 records, " + Manifest.read(data).shards().get("train")
        .get(1).bytes() + " bytes, sha256 " + Manifest.read(data).shards().get("train").get(1).sha256().substring(0, 16)
        + "...): re-run gz ingest --force to rewrite " + data, message);
    assertTrue(assertThrows(UserError.class, () -> ShardCheck.all(data)).getMessage().startsWith(shard + " is missing"));
    assertTrue(ShardCheck.damage(data).orElseThrow().startsWith(shard + " is missing"));
    // Another split is still readable.
    assertEquals(2, ShardCheck.split(data, "val").shards().size());
  }

  @Test
  void aTruncatedShardIsNamedWithTheFix() throws Exception {
    long size = Files.size(shard);
    try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
      f.setLength(size / 2);
    }
    String message = assertThrows(UserError.class, () -> ShardCheck.split(data, "train")).getMessage();
    assertTrue(message.startsWith(shard + " is truncated (" + size / 2 + " bytes; manifest.json says 30 records, "
        + size + " bytes"), message);
    assertTrue(message.endsWith(": re-run gz ingest --force to rewrite " + data), message);
  }

  @Test
  void aChangedByteIsFoundByTheChecksumAndABrokenBlockByTheQuickCheck() throws Exception {
    long size = Files.size(shard);
    flip(shard, size - 100); // inside the last block's records
    assertEquals(3, ShardCheck.split(data, "train").shards().size(), "size and block headers are still as recorded");
    assertTrue(ShardCheck.damage(data).orElseThrow().startsWith(shard + " has changed (its content no longer has"
        + " the recorded checksum"), ShardCheck.damage(data).orElseThrow());

    flip(shard, size - 100);
    flip(shard, size - 1); // the last sync marker
    String message = assertThrows(UserError.class, () -> ShardCheck.split(data, "train")).getMessage();
    assertTrue(message.startsWith(shard + " is damaged (no sync marker after the block at byte "), message);
  }

  @Test
  void anUnlistedShardIsRefused() throws Exception {
    Path stray = data.resolve("train/part-00003-of-00004.avro");
    Files.copy(shard, stray);
    String message = assertThrows(UserError.class, () -> ShardCheck.split(data, "train")).getMessage();
    assertEquals(stray + " is not in " + data.resolve("manifest.json") + " (left there by something other than this"
        + " ingest): re-run gz ingest --force to rewrite " + data, message);
  }

  @Test
  void shardsWithoutAListToCheckThemAgainstAreRefused() throws Exception {
    Path manifest = data.resolve("manifest.json");
    ObjectNode json = (ObjectNode) new ObjectMapper().readTree(manifest.toFile());
    new ObjectMapper().writeValue(manifest.toFile(), json.putNull("shards")); // as before shards were listed
    assertTrue(assertThrows(UserError.class, () -> ShardCheck.split(data, "val")).getMessage()
        .contains("manifest.json does not list its shards (it was written by an older gz ingest): re-run gz ingest"
            + " --force"));
    assertTrue(ShardCheck.damage(data).orElseThrow().contains("does not list its shards"));

    Files.delete(manifest);
    assertTrue(assertThrows(UserError.class, () -> ShardCheck.all(data)).getMessage()
        .startsWith(data + " holds Avro shards but no manifest.json to check them against: re-run gz ingest --force"));
    assertTrue(ShardCheck.has(data, "train"), "split() then says why it cannot be read");
    assertTrue(assertThrows(UserError.class, () -> ShardCheck.split(dir.resolve("nothing"), "train")).getMessage()
        .startsWith("no ingested data at " + dir.resolve("nothing/train") + ": run gz ingest first"));
  }

  @Test
  void aSplitTheOutputDoesNotHaveSaysWhereItComesFrom() {
    assertTrue(ShardCheck.has(data, "val"));
    assertFalse(ShardCheck.has(data, "test"));
    assertEquals(data + " has no test/ split (its manifest.json lists train, val): test/ comes from ingesting images"
        + " without --labels", assertThrows(UserError.class, () -> ShardCheck.split(data, "test")).getMessage());
  }

  @Test
  void aSplitLinkedInFromAnotherOutputIsCheckedAgainstThatOutputsManifest() throws Exception {
    // As bench/evaluate.sh links an unlabelled ingest's test split into the labelled output.
    Path other = new SyntheticShards(8).write(dir.resolve("other"), 30, 12, 5);
    Files.createSymbolicLink(data.resolve("test"), other.resolve("val"));
    assertTrue(ShardCheck.has(data, "test"));
    assertEquals(12, ShardCheck.split(data, "test").countRecords());
    ShardCheck.all(data);
    assertEquals(Optional.empty(), ShardCheck.damage(data));

    Path linked = other.resolve("val/part-00000-of-00002.avro");
    Files.delete(linked);
    String message = assertThrows(UserError.class, () -> ShardCheck.split(data, "test")).getMessage();
    assertTrue(message.startsWith(linked + " is missing") && message.endsWith("re-run gz ingest --force to rewrite "
        + other), message);
  }

  static void flip(Path file, long at) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0xff);
    }
  }
}
