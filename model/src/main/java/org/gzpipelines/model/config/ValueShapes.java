package org.gzpipelines.model.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The sentence for a config value of the wrong type or shape, in place of Jackson's text: what the
 * key takes, an example (its default), and what was given, e.g. {@code 'train.custom-cnn.filters'
 * must be a list of integers, e.g. [32, 64, 128], not 8}.
 */
final class ValueShapes {
  private ValueShapes() {}

  /**
   * @param target the Java type the key binds to (null where Jackson does not say)
   * @param given the value in the file (missing where none)
   * @param example the key's default (missing or null where it has none)
   */
  static String sentence(String key, Class<?> target, JsonNode given, JsonNode example) {
    String kind = kind(target, example, given);
    boolean showExample = !example.isMissingNode() && !example.isNull() && !example.isObject()
        && !(example.isArray() && example.isEmpty()) && !(target != null && target.isEnum());
    return "'" + key + "' must be " + kind + (showExample ? ", e.g. " + flow(example) : "")
        + (given.isMissingNode() ? "" : ", not " + (given.isNull() ? "empty" : shown(given)));
  }

  /** The value given; a number or boolean in quotes is text to YAML, so the quotes are shown and named. */
  private static String shown(JsonNode given) {
    if (given.isTextual() && given.asText().matches("[-+]?[0-9][0-9_.eE+-]*|true|false")) {
      return "\"" + given.asText() + "\" (text in quotes: remove the quotes)";
    }
    return flow(given);
  }

  private static String kind(Class<?> target, JsonNode example, JsonNode given) {
    if (target == null) {
      return example.isMissingNode() || example.isNull() ? "another kind of value" : nodeKind(example);
    }
    if (target.isEnum()) {
      return "one of " + Arrays.stream(target.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
    }
    if (target.isArray() || Collection.class.isAssignableFrom(target)) {
      return example.isArray() && !example.isEmpty() ? "a list of " + plural(example.get(0)) : "a list";
    }
    if (target == int.class || target == Integer.class) {
      return given.isNumber() && given.asDouble() == Math.rint(given.asDouble())
          ? "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE : "an integer";
    }
    if (target == long.class || target == Long.class) {
      return "an integer";
    }
    if (target.isPrimitive() && target != boolean.class || Number.class.isAssignableFrom(target)) {
      return "a number";
    }
    if (target == boolean.class || target == Boolean.class) {
      return "true or false";
    }
    if (target == String.class) {
      return "text";
    }
    return Map.class.isAssignableFrom(target) || !target.getName().startsWith("java.")
        ? "a mapping of keys (key: value lines)" : "a " + target.getSimpleName();
  }

  private static String nodeKind(JsonNode node) {
    if (node.isIntegralNumber()) {
      return "an integer";
    }
    if (node.isNumber()) {
      return "a number";
    }
    if (node.isBoolean()) {
      return "true or false";
    }
    if (node.isArray()) {
      return "a list";
    }
    return node.isObject() ? "a mapping of keys (key: value lines)" : "text";
  }

  private static String plural(JsonNode element) {
    if (element.isIntegralNumber()) {
      return "integers";
    }
    if (element.isNumber()) {
      return "numbers";
    }
    if (element.isBoolean()) {
      return "true/false values";
    }
    return element.isObject() ? "mappings" : "text values";
  }

  /** A value as YAML's flow style writes it: {@code [32, 64, 128]}, {@code 0.5}, {@code data/gz2}. */
  private static String flow(JsonNode node) {
    if (node.isArray()) {
      StringBuilder s = new StringBuilder("[");
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        s.append(flow(it.next())).append(it.hasNext() ? ", " : "");
      }
      return s.append(']').toString();
    }
    return node.isObject() ? "a mapping" : node.asText();
  }
}
