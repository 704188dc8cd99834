package org.gzpipelines.ingest;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * One row of the labels CSV: where it is ({@code file:row}) and its 37 vote fractions. Null labels
 * stand for "ingested without labels" in the join's choice of images, and, among the rows read
 * from a labels file, for a row that failed to parse ({@link #rejected}).
 */
public record LabelRow(String source, float[] labels) {

  /**
   * A row whose GalaxyID was read but not its labels: its dead letter is written, and the join
   * leaves the galaxy's image out without another ("no labels") for the same fault.
   */
  static LabelRow rejected(String source) {
    return new LabelRow(source, null);
  }

  boolean isRejected() {
    return labels == null;
  }

  /** Compact binary coder for the join's shuffle and side input. */
  public static final class Coder extends AtomicCoder<LabelRow> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(LabelRow value, OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      data.writeUTF(value.source);
      data.writeInt(value.labels == null ? -1 : value.labels.length);
      if (value.labels != null) {
        for (float f : value.labels) {
          data.writeFloat(f);
        }
      }
      data.flush();
    }

    @Override
    public LabelRow decode(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      String source = data.readUTF();
      int n = data.readInt();
      if (n < 0) {
        return new LabelRow(source, null);
      }
      float[] labels = new float[n];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = data.readFloat();
      }
      return new LabelRow(source, labels);
    }
  }
}
