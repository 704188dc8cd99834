package org.gzpipelines.ingest;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;

/** One valid row of the labels CSV: where it is ({@code file:row}) and its 37 vote fractions. */
public record LabelRow(String source, float[] labels) {

  /** Compact binary coder for the join's shuffle. */
  public static final class Coder extends AtomicCoder<LabelRow> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(LabelRow value, OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      data.writeUTF(value.source);
      data.writeInt(value.labels.length);
      for (float f : value.labels) {
        data.writeFloat(f);
      }
      data.flush();
    }

    @Override
    public LabelRow decode(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      String source = data.readUTF();
      float[] labels = new float[data.readInt()];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = data.readFloat();
      }
      return new LabelRow(source, labels);
    }
  }
}
