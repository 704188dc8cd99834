package org.gzpipelines.ingest;

import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.gzpipelines.schemas.DeadLetter;

/** Writes all dead letters to {@code <dir>/dead-letter/part-*.avro} (one shard: they are few and small). */
public final class WriteDeadLetters extends PTransform<PCollection<DeadLetter>, PDone> {
  private final String dir;

  public WriteDeadLetters(String dir) {
    this.dir = dir;
  }

  @Override
  public PDone expand(PCollection<DeadLetter> letters) {
    letters.apply("Write",
        FileIO.<DeadLetter>write().via(AvroIO.sink(DeadLetter.class)).to(dir + "/dead-letter")
            .withPrefix("part").withSuffix(".avro").withNumShards(1));
    return PDone.in(letters.getPipeline());
  }
}
