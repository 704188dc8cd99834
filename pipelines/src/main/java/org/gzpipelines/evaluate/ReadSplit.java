package org.gzpipelines.evaluate;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.schemas.Galaxy;

/** The Galaxy records of one split of an ingested data folder: {@code <data>/<split>/part-*.avro}. */
public final class ReadSplit extends PTransform<PBegin, PCollection<Galaxy>> {

  private final String pattern;

  private ReadSplit(String pattern) {
    this.pattern = pattern;
  }

  public static ReadSplit of(Path data, String split) {
    if (!hasShards(data, split)) {
      throw new UserError("no Avro shards in " + data.resolve(split)
          + ": point --data/--validation at a folder written by gz ingest (it holds train/, val/ and manifest.json)");
    }
    return new ReadSplit(data.toAbsolutePath().resolve(split).resolve("part-*.avro").toString());
  }

  /** True when {@code <data>/<split>} holds at least one part-*.avro shard. */
  public static boolean hasShards(Path data, String split) {
    Path dir = data.resolve(split);
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (var files = Files.list(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith("part-")
          && f.getFileName().toString().endsWith(".avro"));
    } catch (java.io.IOException e) {
      throw new UserError("cannot list " + dir + ": " + e.getMessage());
    }
  }

  @Override
  public PCollection<Galaxy> expand(PBegin begin) {
    return begin.apply(AvroIO.read(Galaxy.class).from(pattern));
  }
}
