package org.gzpipelines.ingest;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.gzpipelines.schemas.Split;

/**
 * An image with its labels (null when ingesting unlabelled images) and its split, still encoded
 * (JPEG or PNG bytes): what {@link ImagePreprocessor} turns into records.
 */
public record LabelledImage(long galaxyId, ImageFile image, float[] labels, Split split) {

  public LabelledImage withSplit(Split newSplit) {
    return new LabelledImage(galaxyId, image, labels, newSplit);
  }

  /** Compact binary coder. */
  public static final class Coder extends AtomicCoder<LabelledImage> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(LabelledImage value, OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      data.writeLong(value.galaxyId);
      data.writeInt(value.split == null ? -1 : value.split.ordinal());
      data.writeInt(value.labels == null ? -1 : value.labels.length);
      if (value.labels != null) {
        for (float f : value.labels) {
          data.writeFloat(f);
        }
      }
      data.flush();
      ImageFile.Coder.of().encode(value.image, out);
    }

    @Override
    public LabelledImage decode(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      long id = data.readLong();
      int split = data.readInt();
      int n = data.readInt();
      float[] labels = null;
      if (n >= 0) {
        labels = new float[n];
        for (int i = 0; i < n; i++) {
          labels[i] = data.readFloat();
        }
      }
      ImageFile image = ImageFile.Coder.of().decode(in);
      return new LabelledImage(id, image, labels, split < 0 ? null : Split.values()[split]);
    }
  }
}
