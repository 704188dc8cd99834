package org.gzpipelines.model.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.util.function.LongFunction;

/**
 * Integer keys as config files write them: {@code 32}, or a whole number in exponent form such as
 * {@code 1e6}. A fraction ({@code 32.5}), which Jackson would silently truncate, text, or a number
 * beyond the Java type is a mismatch that {@link ExperimentConfigFile#section} words for the user;
 * the range that matters is each parameters record's {@code validate}.
 */
final class WholeNumbers {
  private WholeNumbers() {}

  static SimpleModule module() {
    SimpleModule m = new SimpleModule("gz-whole-numbers");
    m.addDeserializer(Integer.class, new Whole<>(Integer.class, Integer.MIN_VALUE, Integer.MAX_VALUE, v -> (int) v));
    m.addDeserializer(int.class, new Whole<>(int.class, Integer.MIN_VALUE, Integer.MAX_VALUE, v -> (int) v));
    m.addDeserializer(Long.class, new Whole<>(Long.class, Long.MIN_VALUE, Long.MAX_VALUE, v -> v));
    m.addDeserializer(long.class, new Whole<>(long.class, Long.MIN_VALUE, Long.MAX_VALUE, v -> v));
    return m;
  }

  private static final class Whole<T> extends StdScalarDeserializer<T> {
    private final long min;
    private final long max;
    private final LongFunction<T> box;

    @SuppressWarnings("unchecked")
    Whole(Class<?> type, long min, long max, LongFunction<T> box) {
      super((Class<T>) type);
      this.min = min;
      this.max = max;
      this.box = box;
    }

    @Override
    public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken token = p.currentToken();
      if (token == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
          && p.getLongValue() >= min && p.getLongValue() <= max) {
        return box.apply(p.getLongValue());
      }
      if (token == JsonToken.VALUE_NUMBER_FLOAT) {
        double d = p.getDoubleValue();
        if (d == Math.rint(d) && d >= min && d <= max) { // 1e9 is a whole number; 32.5 is not
          return box.apply((long) d);
        }
      }
      return ctxt.reportInputMismatch(this, "not an integer from %d to %d: %s", min, max, p.getText());
    }

    /** An empty value: null for Integer and Long; for int and long a mismatch, as FAIL_ON_NULL_FOR_PRIMITIVES wants. */
    @Override
    public T getNullValue(DeserializationContext ctxt) throws JsonMappingException {
      return handledType().isPrimitive() ? ctxt.reportInputMismatch(this, "no value for an integer") : null;
    }
  }
}
