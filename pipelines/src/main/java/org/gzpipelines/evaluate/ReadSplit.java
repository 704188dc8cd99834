package org.gzpipelines.evaluate;

import java.nio.file.Path;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.gzpipelines.model.data.ShardCheck;
import org.gzpipelines.schemas.Galaxy;

/**
 * The Galaxy records of one split of an ingested data folder: {@code <data>/<split>/part-*.avro},
 * checked against the folder's manifest when the pipeline is built.
 */
public final class ReadSplit extends PTransform<PBegin, PCollection<Galaxy>> {

  private final String pattern;

  private ReadSplit(String pattern) {
    this.pattern = pattern;
  }

  /**
   * Reads {@code <data>/<split>} once {@link ShardCheck} has found its shards as ingest wrote them
   * (so the pattern matches exactly those).
   *
   * @throws org.gzpipelines.errors.UserError naming a missing, truncated or changed shard and the fix
   */
  public static ReadSplit of(Path data, String split) {
    ShardCheck.split(data, split);
    return new ReadSplit(data.toAbsolutePath().resolve(split).resolve("part-*.avro").toString());
  }

  @Override
  public PCollection<Galaxy> expand(PBegin begin) {
    return begin.apply(AvroIO.read(Galaxy.class).from(pattern));
  }
}
