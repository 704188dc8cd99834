package org.gzpipelines.ingest;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * One encoded image as read: where it came from (a file, or {@code archive!entry}) and its bytes.
 */
public record ImageFile(String source, byte[] bytes) {

  /** The file name without folders, e.g. {@code 100008.jpg}. */
  public String fileName() {
    return fileName(source);
  }

  /** The GalaxyID its name gives ({@code 100008.jpg} -> 100008), or null where it gives none. */
  public Long galaxyId() {
    return galaxyId(source);
  }

  /** The dead-letter reason for a file whose name gives no GalaxyID. */
  public String badNameReason() {
    return badNameReason(source);
  }

  /** As {@link #fileName()}, for a source not yet read. */
  static String fileName(String source) {
    int slash = Math.max(source.lastIndexOf('/'), Math.max(source.lastIndexOf('\\'), source.lastIndexOf('!')));
    return source.substring(slash + 1);
  }

  /** As {@link #galaxyId()}, for a source not yet read: the id comes from the name alone. */
  public static Long galaxyId(String source) {
    String name = fileName(source);
    int dot = name.lastIndexOf('.');
    return LabelsCsv.parseId(dot < 0 ? name : name.substring(0, dot));
  }

  /** As {@link #badNameReason()}, for a source not yet read. */
  static String badNameReason(String source) {
    return "file name '" + fileName(source) + "' is not <GalaxyID>.jpg, .jpeg or .png";
  }

  /** Compact binary coder (Java serialization would triple the cost of every shuffle). */
  public static final class Coder extends AtomicCoder<ImageFile> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(ImageFile value, OutputStream out) throws IOException {
      DataOutputStream data = new DataOutputStream(out);
      data.writeUTF(value.source);
      data.writeInt(value.bytes.length);
      data.write(value.bytes);
      data.flush();
    }

    @Override
    public ImageFile decode(InputStream in) throws IOException {
      DataInputStream data = new DataInputStream(in);
      String source = data.readUTF();
      byte[] bytes = new byte[data.readInt()];
      data.readFully(bytes);
      return new ImageFile(source, bytes);
    }
  }
}
