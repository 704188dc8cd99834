package org.gzpipelines.ingest;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.gzpipelines.schemas.Split;

/**
 * A temporary Avro file of one split's records, written by {@link TempShardWriter} and merged into
 * the split's shards by {@link WriteShards}; what travels between them is this, never the records.
 */
public record TempShardFile(Split split, String path, long records) {

  /** Compact binary coder. */
  public static final class Coder extends AtomicCoder<TempShardFile> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(TempShardFile value, OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      data.writeInt(value.split.ordinal());
      data.writeUTF(value.path);
      data.writeLong(value.records);
      data.flush();
    }

    @Override
    public TempShardFile decode(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      return new TempShardFile(Split.values()[data.readInt()], data.readUTF(), data.readLong());
    }
  }
}
