package org.gzpipelines.explore;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * Java serialisation for the small combiner states and results (a few per worker), compared by
 * their encoded bytes. Beam's {@code SerializableCoder} compares decoded values with {@code
 * equals}, which these classes do not define, so the Direct runner's mutation checks would warn
 * on every element.
 */
public final class SerializedCoder<T extends Serializable> extends CustomCoder<T> {
  private final Class<T> type;

  private SerializedCoder(Class<T> type) {
    this.type = type;
  }

  public static <T extends Serializable> SerializedCoder<T> of(Class<T> type) {
    return new SerializedCoder<>(type);
  }

  @Override
  public void encode(T value, OutputStream out) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (ObjectOutputStream objects = new ObjectOutputStream(bytes)) {
      objects.writeObject(value);
    }
    // Length-prefixed: the stream may hold more elements after this one.
    VarIntCoder.of().encode(bytes.size(), out);
    bytes.writeTo(out);
  }

  @Override
  public T decode(InputStream in) throws IOException {
    int length = VarIntCoder.of().decode(in);
    byte[] bytes = new byte[length];
    new java.io.DataInputStream(in).readFully(bytes);
    try (ObjectInputStream objects = new ObjectInputStream(new java.io.ByteArrayInputStream(bytes))) {
      return type.cast(objects.readObject());
    } catch (ClassNotFoundException e) {
      throw new CoderException("cannot decode a " + type.getName(), e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SerializedCoder<?> other && other.type.equals(type);
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }
}
