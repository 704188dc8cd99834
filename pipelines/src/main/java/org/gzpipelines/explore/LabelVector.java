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
      writeLabels(data, value.labels());
      data.flush();
    }

    @Override
    public LabelVector decode(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      long id = data.readLong();
      Split split = Split.values()[data.readByte()];
      return new LabelVector(id, split, readLabels(data));
    }

    @Override
    public void verifyDeterministic() {}

    /** A length (-1 for null) and the floats; shared with {@link GalaxyRow.Coder}. */
    static void writeLabels(DataOutputStream data, float[] labels) throws IOException {
      data.writeShort(labels == null ? -1 : labels.length);
      if (labels != null) {
        for (float f : labels) {
          data.writeFloat(f);
        }
      }
    }

    static float[] readLabels(DataInputStream data) throws IOException {
      int count = data.readShort();
      if (count < 0) {
        return null;
      }
      float[] labels = new float[count];
      for (int i = 0; i < count; i++) {
        labels[i] = data.readFloat();
      }
      return labels;
    }
  }
}
