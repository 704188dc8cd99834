package org.gzpipelines.flink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.gzpipelines.schemas.Galaxy;

/** The records of an ingest output folder ({train,val,test}/part-*.avro), read back for comparison. */
final class IngestOutput {
  private IngestOutput() {}

  static List<Galaxy> records(Path out) throws IOException {
    List<Galaxy> all = new ArrayList<>();
    for (String split : new String[] {"train", "val", "test"}) {
      Path dir = out.resolve(split);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> shards = Files.list(dir)) {
        for (Path shard : shards.filter(f -> f.getFileName().toString().endsWith(".avro")).sorted().toList()) {
          try (DataFileReader<Galaxy> reader = new DataFileReader<>(shard.toFile(), new SpecificDatumReader<>(Galaxy.class))) {
            reader.forEach(all::add);
          }
        }
      }
    }
    return all;
  }

  /**
   * One line per record, sorted: GalaxyID, split, copy index and the SHA-256 of the whole
   * Avro-encoded record (pixels, labels, augmentation, every field).
   */
  static List<String> fingerprint(Path out) throws IOException {
    List<String> rows = new ArrayList<>();
    for (Galaxy g : records(out)) {
      ByteBuffer encoded = g.toByteBuffer();
      byte[] bytes = new byte[encoded.remaining()];
      encoded.get(bytes);
      rows.add(g.getGalaxyId() + " " + g.getSplit() + " " + g.getCopyIndex() + " " + HexFormat.of().formatHex(sha256(bytes)));
    }
    rows.sort(null);
    return rows;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
