package org.gzpipelines.explore;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.gzpipelines.schemas.Split;

/**
 * The label part of one labelled, un-augmented galaxy: what the statistics transforms need,
 * without the pixels, so the many per-label combiners never move image bytes around.
 */
public record LabelVector(long galaxyId, Split split, float[] labels) {

  /** The labels of an original (copyIndex 0) labelled galaxy. */
  public static LabelVector of(GalaxyRow row) {
    return new LabelVector(row.galaxyId(), row.split(), row.labels());
  }

  /**
   * A compact binary coder (id, split ordinal, floats): Beam encodes every element between
   * steps, and Java serialisation of a record with a float array is several times larger.
   */
  public static final class LabelVectorCoder extends AtomicCoder<LabelVector> {
    public static LabelVectorCoder of() {
      return new LabelVectorCoder();
    }

    @Override
    public void encode(LabelVector value, OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      data.writeLong(value.galaxyId());
      data.writeByte(value.split().ordinal());
      data.writeShort(value.labels().length);
      for (float f : value.labels()) {
        data.writeFloat(f);
      }
      data.flush();
    }

    @Override
    public LabelVector decode(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      long id = data.readLong();
      Split split = Split.values()[data.readByte()];
      float[] labels = new float[data.readShort()];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = data.readFloat();
      }
      return new LabelVector(id, split, labels);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
