package org.gzpipelines.model.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * One experiment configuration file (YAML): the merged tree after {@code extends:} and strict,
 * typed access to its sections.
 *
 * <p>A file may start with {@code extends: base.yaml} (a path relative to the file); the parent is
 * loaded first and this file's keys are deep-merged over it (maps merge key by key, anything else
 * replaces, and so does a {@code sweep.grid}). Each stage binds only its own top-level section ({@code train:}, {@code ingest:}, ...)
 * to its own class with {@link #section}; unknown keys and bad values fail with a message naming
 * the key and the file it came from. Top-level keys must be one of {@link #SECTIONS}.
 */
public final class ExperimentConfigFile {

  /** Allowed top-level keys. A stage that adds a section adds its name here. */
  public static final Set<String> SECTIONS =
      Set.of("extends", "experiment", "stages", "synth", "ingest", "explore", "train", "evaluate", "mergers", "predict",
          "compare", "real-sample", "sweep");

  /** Experiment name used when a file names none. */
  public static final String DEFAULT_EXPERIMENT = "galaxy-zoo";

  private static final Pattern QUOTED_KEY = Pattern.compile("'([^']+)'");
  private static final ObjectMapper YAML = newYamlMapper();

  private final Path file;
  private final ObjectNode tree;
  /** Dotted key path -> the file that set it last (for error messages under extends). */
  private final Map<String, Path> origins;

  private ExperimentConfigFile(Path file, ObjectNode tree, Map<String, Path> origins) {
    this.file = file;
    this.tree = tree;
    this.origins = origins;
  }

  /** The mapper every config class binds with: kebab-case keys, unknown keys are errors. */
  public static ObjectMapper newYamlMapper() {
    ObjectMapper m =
        new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
    m.setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE);
    m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    m.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    m.registerModule(WholeNumbers.module()); // 32.5 is no batch size: Jackson would truncate it to 32
    m.setSerializationInclusion(JsonInclude.Include.NON_NULL);
    return m;
  }

  /** Loads a file and everything it extends. */
  public static ExperimentConfigFile load(Path file) {
    Map<String, Path> origins = new LinkedHashMap<>();
    ObjectNode tree = loadMerged(file.toAbsolutePath().normalize(), new ArrayDeque<>(), origins);
    tree.remove("extends");
    Set<String> unknown = new TreeSet<>();
    tree.fieldNames().forEachRemaining(k -> {
      if (!SECTIONS.contains(k)) {
        unknown.add(k);
      }
    });
    if (!unknown.isEmpty()) {
      String key = unknown.iterator().next();
      throw new ConfigException(
          originOf(origins, key, file) + ": unknown top-level key '" + key + "' (allowed: "
              + new TreeSet<>(SECTIONS) + ")");
    }
    return new ExperimentConfigFile(file, tree, origins);
  }

  /** A config with no keys: every section at its defaults (a stage command run without --config). */
  public static ExperimentConfigFile empty() {
    return new ExperimentConfigFile(Path.of("(defaults)"), YAML.createObjectNode(), new LinkedHashMap<>());
  }

  /** Parses YAML text (no extends) -- for configs stored beside a model or a checkpoint. */
  public static ExperimentConfigFile parse(String yaml, Path pretendFile) {
    try {
      JsonNode node = YAML.readTree(yaml);
      ObjectNode tree = node instanceof ObjectNode o ? o : YAML.createObjectNode();
      Map<String, Path> origins = new LinkedHashMap<>();
      recordOrigins(tree, "", pretendFile, origins);
      return new ExperimentConfigFile(pretendFile, tree, origins);
    } catch (JsonProcessingException e) {
      throw notYaml(pretendFile, e);
    }
  }

  /**
   * The known key a mistyped {@code key} most likely meant: the nearest by edit distance once case,
   * '-' and '_' are set aside (batchSize, batch_size and batchsize all mean batch-size), if near
   * enough to be a typo rather than another word: one edit in a key of up to 5 letters (rate is
   * not name), two in a longer one.
   */
  public static Optional<String> closest(String key, List<String> known) {
    String typed = bare(key);
    LevenshteinDistance distance = new LevenshteinDistance(typed.length() <= 5 ? 1 : 2);
    return known.stream()
        .filter(k -> distance.apply(typed, bare(k)) >= 0)
        .min(Comparator.comparingInt((String k) -> distance.apply(typed, bare(k))).thenComparing(k -> k));
  }

  private static String bare(String key) {
    return key.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
  }

  /**
   * The parser's reason with the file's line and column in front, then the line it quotes with a
   * caret under the column; SnakeYAML's own location line ("in 'reader', line 4, column 16:")
   * names its input stream, not the file, and goes.
   */
  private static ConfigException notYaml(Path file, JsonProcessingException e) {
    String where = e.getLocation() == null ? ""
        : " line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    String reason = e.getOriginalMessage().lines()
        .filter(line -> !line.matches("\\s*in '[^']*', line \\d+, column \\d+:\\s*"))
        .collect(Collectors.joining("\n"));
    return new ConfigException(file + where + ": not valid YAML: " + reason, e);
  }

  private static ObjectNode loadMerged(Path file, Deque<Path> chain, Map<String, Path> origins) {
    if (chain.contains(file)) {
      throw new ConfigException(file + ": 'extends' forms a cycle: " + chain);
    }
    if (!Files.isRegularFile(file)) {
      String from = chain.isEmpty() ? "" : " (extended by " + chain.peek() + ")";
      throw new ConfigException("config file " + file + " does not exist" + from
          + (chain.isEmpty() ? "" : shippedConfig(file.getFileName().toString(), chain.peek())));
    }
    JsonNode node;
    try {
      node = YAML.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw notYaml(file, e);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
    }
    if (node == null || node.isMissingNode() || node.isNull()) {
      node = YAML.createObjectNode();
    }
    if (!(node instanceof ObjectNode own)) {
      throw new ConfigException(file + ": a config file must be a YAML mapping of sections");
    }
    ObjectNode merged = YAML.createObjectNode();
    JsonNode parent = own.get("extends");
    if (parent != null) {
      if (!parent.isTextual()) {
        throw new ConfigException(file + ": 'extends' must be a file name, e.g. extends: base.yaml");
      }
      chain.push(file);
      merged = loadMerged(file.resolveSibling(parent.asText()).normalize(), chain, origins);
      chain.pop();
    }
    recordOrigins(own, "", file, origins);
    deepMerge(merged, own, "");
    return merged;
  }

  /**
   * Where {@code extends:} names a config gz ships (configs/base.yaml) from a file elsewhere, its
   * path relative to that file: "extends: base.yaml" is relative to the file that says it, so a
   * user's own config copied out of configs/ no longer finds its parent.
   */
  private static String shippedConfig(String name, Path extendedBy) {
    Path shipped = Path.of(System.getProperty("gz.home", "."), "configs", name).toAbsolutePath().normalize();
    if (!Files.isRegularFile(shipped)) {
      return "";
    }
    Path from = extendedBy.toAbsolutePath().normalize().getParent();
    return ": gz's own is " + shipped + ", e.g. extends: " + from.relativize(shipped);
  }

  private static void recordOrigins(JsonNode node, String prefix, Path file, Map<String, Path> origins) {
    node.fields().forEachRemaining(e -> {
      String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      origins.put(key, file);
      if (e.getValue().isObject()) {
        recordOrigins(e.getValue(), key, file, origins);
      }
    });
  }

  /**
   * A file's sweep grid replaces the grid of the file it extends: its axes are the study the user
   * wrote, and merged with the parent's they would multiply it (4 points becoming 16) unseen.
   */
  private static void deepMerge(ObjectNode into, ObjectNode from, String prefix) {
    from.fields().forEachRemaining(e -> {
      String key = prefix + e.getKey();
      JsonNode existing = into.get(e.getKey());
      if (existing instanceof ObjectNode target && e.getValue() instanceof ObjectNode source && !key.equals("sweep.grid")) {
        deepMerge(target, source, key + ".");
      } else {
        into.set(e.getKey(), e.getValue().deepCopy());
      }
    });
  }

  private static Path originOf(Map<String, Path> origins, String key, Path fallback) {
    for (String k = key; !k.isEmpty(); k = k.contains(".") ? k.substring(0, k.lastIndexOf('.')) : "") {
      Path p = origins.get(k);
      if (p != null) {
        return p;
      }
    }
    return fallback;
  }

  /** Where a key's value came from: the file (or one it extends) that set it, or the command line. */
  public Path originOf(String dottedKey) {
    return originOf(origins, dottedKey, file);
  }

  /** The file this config was loaded from. */
  public Path file() {
    return file;
  }

  /** The MLflow experiment every stage of this config logs to. */
  public String experimentName() {
    JsonNode e = tree.get("experiment");
    return e == null || e.asText().isBlank() ? DEFAULT_EXPERIMENT : e.asText();
  }

  /** True where the merged file has this top-level section. */
  public boolean hasSection(String name) {
    return tree.has(name);
  }

  /**
   * Binds a top-level section to its class (missing section = the class's defaults) and calls
   * {@link Validated#validate} where the class implements it.
   */
  public <T> T section(String name, Class<T> type) {
    JsonNode node = tree.get(name);
    T value;
    try {
      value = node == null || node.isNull()
          ? type.getDeclaredConstructor().newInstance()
          : YAML.treeToValue(node, type);
    } catch (UnrecognizedPropertyException e) {
      throw unknownKeys(name, type, node, e);
    } catch (MismatchedInputException e) { // a wrong type or shape: 32.5 for an integer, 8 for a list
      String key = name + "." + dotted(e);
      JsonPointer at = pointer(e);
      throw new ConfigException(ValueShapes.sentence(key, e.getTargetType(), node.at(at), defaultsOf(type).at(at))
          + " (" + originOf(origins, key, file) + ")", e);
    } catch (JsonMappingException e) {
      String key = name + "." + dotted(e);
      throw new ConfigException(originOf(origins, key, file) + ": bad value for key '" + key + "': "
          + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      throw new ConfigException(file + ": section '" + name + "': " + e.getOriginalMessage(), e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(type + " needs a public no-argument constructor", e);
    }
    if (value instanceof Validated v) {
      List<String> problems = new ArrayList<>();
      v.validate(name, problems);
      if (!problems.isEmpty()) {
        // A problem names its key first, in quotes ("'train.epochs': ..." or "'predict.out' is ...").
        Matcher quoted = QUOTED_KEY.matcher(problems.get(0));
        String key = quoted.find() ? quoted.group(1) : name;
        throw new ConfigException(originOf(origins, key, file) + ": " + String.join("; ", problems));
      }
    }
    return value;
  }

  /**
   * Every unknown key of a section at once: Jackson stops at the first, so each is taken out of a
   * copy and the binding tried again, and a config with three typos is fixed in one edit, not three runs.
   */
  private ConfigException unknownKeys(String name, Class<?> type, JsonNode node, UnrecognizedPropertyException first) {
    List<String> problems = new ArrayList<>();
    JsonNode rest = node.deepCopy();
    for (UnrecognizedPropertyException e = first; e != null && problems.size() < MAX_UNKNOWN_KEYS; ) {
      problems.add(unknownKey(name, type, e));
      if (!(rest.at(pointer(e).head()) instanceof ObjectNode parent) || parent.remove(e.getPropertyName()) == null) {
        break;
      }
      e = null;
      try {
        YAML.treeToValue(rest, type);
      } catch (UnrecognizedPropertyException next) {
        e = next;
      } catch (JsonProcessingException | IllegalArgumentException other) {
        // another kind of error: the next run names it, once these keys are fixed
      }
    }
    return new ConfigException(problems.size() == 1 ? problems.get(0)
        : problems.size() + " unknown keys:\n  " + String.join("\n  ", problems), first);
  }

  private static final int MAX_UNKNOWN_KEYS = 20;

  /**
   * One unknown key, with the known key it is closest to there; where none is close, the key of that
   * name elsewhere in the section ('train.lr' is 'train.optimizer.lr'), then the keys known there.
   */
  private String unknownKey(String name, Class<?> type, UnrecognizedPropertyException e) {
    String key = name + "." + dotted(e);
    List<String> known = e.getKnownPropertyIds() == null ? List.of()
        : e.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
    Optional<String> guess = closest(e.getPropertyName(), known)
        .or(() -> keysNamed(defaultsOf(type), name, bare(e.getPropertyName())).stream().findFirst());
    return originOf(origins, key, file) + ": unknown key '" + key + "'" + guess.map(k -> ": did you mean '" + k + "'?").orElse("")
        + (known.isEmpty() ? "" : " (known keys there: " + String.join(", ", known) + ")");
  }

  /** The dotted keys under {@code prefix} in a section's defaults whose last part is {@code bareName}, shortest first. */
  private static List<String> keysNamed(JsonNode defaults, String prefix, String bareName) {
    List<String> found = new ArrayList<>();
    defaults.fields().forEachRemaining(f -> {
      String key = prefix + "." + f.getKey();
      if (bare(f.getKey()).equals(bareName)) {
        found.add(key);
      }
      if (f.getValue().isObject()) {
        found.addAll(keysNamed(f.getValue(), key, bareName));
      }
    });
    found.sort(Comparator.comparingInt(String::length));
    return found;
  }

  /** Where in the section the value that failed is, for the value given and the default there. */
  private static JsonPointer pointer(JsonMappingException e) {
    JsonPointer at = JsonPointer.empty();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        at = at.appendProperty(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        at = at.appendIndex(r.getIndex());
      }
    }
    return at;
  }

  /** A section class's defaults as YAML would write them: the examples of error messages. */
  private static JsonNode defaultsOf(Class<?> type) {
    try {
      return YAML.valueToTree(type.getDeclaredConstructor().newInstance());
    } catch (ReflectiveOperationException | IllegalArgumentException e) {
      return YAML.missingNode(); // no example then
    }
  }

  private static String dotted(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  /** Overrides one value (dotted path, e.g. {@code train.data}) as if the file had set it. */
  public ExperimentConfigFile with(String dottedKey, Object value) {
    ObjectNode copy = tree.deepCopy();
    List<String> parts = path(dottedKey);
    ObjectNode at = copy;
    for (int i = 0; i < parts.size() - 1; i++) {
      at = at.get(parts.get(i)) instanceof ObjectNode o ? o : at.putObject(parts.get(i));
    }
    at.set(parts.get(parts.size() - 1), YAML.valueToTree(value));
    Map<String, Path> o = new LinkedHashMap<>(origins);
    o.put(dottedKey, Path.of("the command line"));
    return new ExperimentConfigFile(file, copy, o);
  }

  /** A dotted key's path in the tree; a sweep grid's keys are dotted train keys, each one name. */
  private static List<String> path(String dottedKey) {
    String grid = "sweep.grid.";
    return dottedKey.startsWith(grid) && dottedKey.length() > grid.length()
        ? List.of("sweep", "grid", dottedKey.substring(grid.length())) : List.of(dottedKey.split("\\."));
  }

  /**
   * Overrides one key from the command line's {@code --set key=value} ({@code
   * train.augment.noise=0.02}), the value read as YAML (a number, true or false, a list {@code [a,
   * b]}, text), as if the file had set it; a key the section does not have is refused when the
   * section is bound, naming it and the keys there.
   */
  public ExperimentConfigFile withOverride(String keyValue) {
    int eq = keyValue.indexOf('=');
    String key = eq < 0 ? "" : keyValue.substring(0, eq).strip();
    String text = eq < 0 ? "" : keyValue.substring(eq + 1).strip();
    if (key.isEmpty() || text.isEmpty()) {
      throw new ConfigException("--set " + keyValue + ": write the key, '=' and a value, e.g. --set train.epochs=3");
    }
    List<String> parts = path(key);
    String top = parts.get(0);
    if (!SECTIONS.contains(top) || top.equals("extends")) {
      throw new ConfigException("--set " + keyValue + ": unknown top-level key '" + top + "' (allowed: "
          + new TreeSet<>(SECTIONS).stream().filter(k -> !k.equals("extends")).toList() + ")");
    }
    // Without these checks a value would silently replace a whole section, or a section a value.
    boolean value = top.equals("experiment") || top.equals("stages");
    if (value && parts.size() > 1) {
      throw new ConfigException("--set " + keyValue + ": '" + top + "' is a value, not a section: --set " + top
          + "=<value>");
    }
    if (!value && parts.size() == 1) {
      throw new ConfigException("--set " + keyValue + ": '" + top + "' is a section: set a key in it, e.g. --set "
          + top + ".<key>=<value> (the keys are in docs/USER-GUIDE.md, section 3)");
    }
    JsonNode at = tree;
    for (int i = 0; i < parts.size() - 1 && at != null; i++) {
      at = at.get(parts.get(i));
      if (at != null && !at.isObject() && !at.isNull()) {
        throw new ConfigException("--set " + keyValue + ": '" + String.join(".", parts.subList(0, i + 1))
            + "' is a value (" + at + "), not a section");
      }
    }
    try {
      return with(key, YAML.readTree(text));
    } catch (JsonProcessingException e) {
      throw new ConfigException("--set " + keyValue + ": the value is not valid YAML: " + e.getOriginalMessage()
          + " (quote text that holds ':' or '#')", e);
    }
  }

  /**
   * This config with a section replaced by its bound (and validated) value, defaults included:
   * what a run logs and saves, so it stays reproducible when defaults change later.
   */
  public ExperimentConfigFile withSection(String name, Object bound) {
    ObjectNode copy = tree.deepCopy();
    copy.set(name, YAML.valueToTree(bound));
    return new ExperimentConfigFile(file, copy, origins);
  }

  /** The whole merged config flattened to dotted keys, e.g. for logging as run parameters. */
  public Map<String, String> flatten() {
    Map<String, String> out = new LinkedHashMap<>();
    flatten(tree, "", out);
    return out;
  }

  /**
   * A bound section flattened to dotted keys under its name, e.g. {@code ingest.crop-size}: the
   * same strings {@link #flatten()} gives for it after {@link #withSection}.
   */
  public static Map<String, String> flatten(String section, Object bound) {
    Map<String, String> out = new LinkedHashMap<>();
    flatten(YAML.valueToTree(bound), section, out);
    return out;
  }

  private static void flatten(JsonNode node, String prefix, Map<String, String> out) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        flatten(e.getValue(), prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), out);
      }
    } else if (node.isArray()) {
      out.put(prefix, plainList(node));
    } else {
      out.put(prefix, plain(node));
    }
  }

  /** A list as JSON ({@code [16,32,64]}, {@code ["a","b"]}), its numbers as {@link #plain} writes them. */
  private static String plainList(JsonNode array) {
    StringJoiner items = new StringJoiner(",", "[", "]");
    array.forEach(item -> items.add(item.isArray() ? plainList(item) : item.isNumber() ? plain(item) : item.toString()));
    return items.toString();
  }

  /**
   * A value as a run parameter: Java writes small and large floats in scientific notation
   * ({@code 3.0E-4}), which a run filter written as the config has it ({@code 0.0003}) misses.
   */
  private static String plain(JsonNode node) {
    return node.isFloatingPointNumber() ? plain(node.asText()) : node.asText();
  }

  /** A number's text without scientific notation ("1.0E-5" is "0.00001"), for parameters and messages alike. */
  static String plain(String number) {
    return number.contains("E") ? new BigDecimal(number).stripTrailingZeros().toPlainString() : number;
  }

  /** A bound section as YAML under its name: what a stage ran with, e.g. for a provenance hash. */
  public static String toYaml(String section, Object bound) {
    try {
      return YAML.writeValueAsString(java.util.Map.of(section, bound));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The merged config as YAML (saved beside checkpoints and models). */
  public String toYaml() {
    try {
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Interface for section classes that check their own values. */
  public interface Validated {
    /**
     * Adds one message per problem, each starting with the full dotted key in quotes and a colon,
     * e.g. {@code 'train.batch-size': must be positive, was 0}.
     */
    void validate(String prefix, List<String> problems);
  }
}
