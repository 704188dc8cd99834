package org.gzpipelines.testing;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StructuredCoder;

/** Coders spelled out for the memory-bound tests, which look for image-carrying types in a pipeline graph. */
public final class Coders {
  private Coders() {}

  /** {@code coder} with all nested component coders, by class and by the type they encode (so AvroCoder<Galaxy> reads as such). */
  public static String describe(Coder<?> coder) {
    StringBuilder s = new StringBuilder(coder.getClass().getName()).append('<').append(coder.getEncodedTypeDescriptor()).append('>');
    if (coder instanceof StructuredCoder<?> structured) {
      s.append('(');
      for (Coder<?> component : structured.getComponents()) {
        s.append(describe(component)).append(',');
      }
      s.append(')');
    }
    return s.toString();
  }
}
