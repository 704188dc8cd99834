package org.gzpipelines.cli;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.run.PipelineRunner;
import org.gzpipelines.run.StageContext;
import org.gzpipelines.tracking.Tracking;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How a stage command's flags reach its parameters record: the record is the command's config
 * section (from {@code --config}, or all defaults), and every flag the user typed overrides the
 * key of the same name ({@code gz ingest --crop-size 150} sets {@code ingest.crop-size}), exactly as
 * if the file had set it; {@code --experiment} sets the top-level {@code experiment}, and {@code
 * --set key=value} any key ({@link SetOverrides}). So the YAML
 * file, {@code extends:} and the command line resolve to one record, and errors name the key.
 */
public final class ConfigFlags {

  private static final ObjectMapper YAML = ExperimentConfigFile.newYamlMapper();

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(names = "--config", paramLabel = "<yaml>",
      description = "Experiment config (e.g. configs/demo.yaml) whose section for this command sets its defaults;"
          + " flags override it.")
  Path config;

  @Option(names = "--experiment",
      description = "MLflow experiment of the run (default: the config's, else " + ExperimentConfigFile.DEFAULT_EXPERIMENT
          + "). Given, a command that uses a --model runs there as a top-level run, not as a child of the model's"
          + " training run.")
  String experiment;

  @Mixin SetOverrides sets;

  /** The --config file (or all defaults) with the flags the user typed applied as overrides. */
  public ExperimentConfigFile resolve(String section, Class<?> type) {
    return overrides(config != null ? ExperimentConfigFile.load(config) : ExperimentConfigFile.empty(), section, type);
  }

  /** {@code cfg} with the --set keys, then the typed flags as overrides of {@code section}'s keys. */
  public ExperimentConfigFile overrides(ExperimentConfigFile cfg, String section, Class<?> type) {
    cfg = sets.apply(cfg);
    Set<String> keys = keys(type);
    for (OptionSpec option : command.commandLine().getParseResult().matchedOptions()) {
      String name = option.longestName().replaceFirst("^--", "");
      if (name.equals("experiment")) {
        cfg = cfg.with("experiment", option.getValue());
      } else if (keys.contains(name)) {
        cfg = cfg.with(section + "." + name, yamlValue(option.getValue()));
      }
    }
    return cfg;
  }

  /**
   * What a stage command runs with: its parameters record, the config they came from (file, --set
   * and flags), and a context whose runs are top-level runs of the config's experiment, tracked by
   * {@link #tracking} (closed with this).
   */
  record Call<P>(P params, ExperimentConfigFile cfg, StageContext context, Tracking tracking)
      implements AutoCloseable {
    @Override
    public void close() {
      tracking.close();
    }
  }

  /** Binds the command's section (config + flags) and opens tracking: {@code try (var call = flags.call(...))}. */
  <P> Call<P> call(String section, Class<P> type, PipelineRunner runner) {
    ExperimentConfigFile cfg = resolve(section, type);
    P params = cfg.section(section, type);
    Tracking tracking = Tracking.fromEnvironment();
    StageContext context = StageContext.of(tracking, cfg, config, runner);
    return new Call<>(params, cfg, experiment != null ? context.withExperimentChosen() : context, tracking);
  }

  /** The command's parameters record: its config section with the flags applied. */
  public <T> T section(String section, Class<T> type) {
    return resolve(section, type).section(section, type);
  }

  /** The config file, if one was given. */
  public Optional<Path> file() {
    return Optional.ofNullable(config);
  }

  /** The keys of a section class, kebab-case, as Jackson binds them. */
  static List<BeanPropertyDefinition> properties(Class<?> type) {
    JavaType t = YAML.constructType(type);
    BeanDescription d = YAML.getDeserializationConfig().introspect(t);
    return d.findProperties();
  }

  static Set<String> keys(Class<?> type) {
    return properties(type).stream().map(BeanPropertyDefinition::getName).collect(Collectors.toSet());
  }

  /** A list flag as a YAML list. */
  private static Object yamlValue(Object v) {
    return v instanceof Collection<?> c ? new ArrayList<>(c) : v;
  }

  /** The default of a key, as text (null where it has none): what {@code --help} shows. */
  static String defaultOf(Class<?> type, String key) {
    try {
      var node = YAML.valueToTree(type.getDeclaredConstructor().newInstance()).get(key);
      if (node == null || node.isNull()) {
        return null;
      }
      if (node.isArray()) { // as a split=',' list flag takes it
        List<String> items = new ArrayList<>();
        node.forEach(n -> items.add(n.asText()));
        return String.join(",", items);
      }
      return node.isValueNode() ? node.asText() : node.toString();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(type + " needs a public no-argument constructor", e);
    }
  }
}
