package org.gzpipelines.explore;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.gzpipelines.schemas.Split;

/**
 * One ingested record without its pixels: what the counts and label statistics read. The few
 * records whose images the report shows are read back whole ({@link org.gzpipelines.ingest.PickGalaxies}).
 *
 * @param labels the 37 vote fractions (any other length is counted as wrong by {@link
 *     DatasetCounts}), or null for an unlabelled image
 */
public record GalaxyRow(long galaxyId, Split split, int copyIndex, int height, int width, int channels,
    float[] labels) {

  boolean isOriginal() {
    return copyIndex == 0;
  }

  /** A compact binary coder, the labels written as {@link LabelVector.LabelVectorCoder} writes them. */
  public static final class Coder extends AtomicCoder<GalaxyRow> {
    public static Coder of() {
      return new Coder();
    }

    @Override
    public void encode(GalaxyRow row, OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      data.writeLong(row.galaxyId());
      data.writeByte(row.split().ordinal());
      data.writeInt(row.copyIndex());
      data.writeInt(row.height());
      data.writeInt(row.width());
      data.writeInt(row.channels());
      LabelVector.LabelVectorCoder.writeLabels(data, row.labels());
      data.flush();
    }

    @Override
    public GalaxyRow decode(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      long id = data.readLong();
      Split split = Split.values()[data.readByte()];
      int copyIndex = data.readInt();
      int height = data.readInt();
      int width = data.readInt();
      int channels = data.readInt();
      return new GalaxyRow(id, split, copyIndex, height, width, channels, LabelVector.LabelVectorCoder.readLabels(data));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
