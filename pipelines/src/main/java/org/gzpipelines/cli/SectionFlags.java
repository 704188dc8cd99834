package org.gzpipelines.cli;

import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.google.common.primitives.Primitives;
import java.util.List;
import java.util.Map;
import org.gzpipelines.evaluate.CompareParams;
import org.gzpipelines.evaluate.EvaluateParams;
import org.gzpipelines.evaluate.RealSampleParams;
import org.gzpipelines.explore.ExploreParams;
import org.gzpipelines.ingest.IngestParams;
import org.gzpipelines.mergers.MergersParams;
import org.gzpipelines.predict.PredictParams;
import org.gzpipelines.model.config.TrainConfig;
import org.gzpipelines.synth.SynthParams;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The flags of a stage command are made from its parameters record: every key with a
 * {@code @JsonPropertyDescription} becomes {@code --<key>}, typed as the field, described by it,
 * with the record's default. So a key, its type, its default and its help are written once, in
 * the record, and {@link ConfigFlags} turns the flags the user typed into overrides of that key.
 */
final class SectionFlags {

  /** Each stage command's section and parameters record. */
  static final Map<String, Class<?>> SECTIONS = Map.of(
      "synth", SynthParams.class,
      "ingest", IngestParams.class,
      "explore", ExploreParams.class,
      "train", TrainConfig.class,
      "evaluate", EvaluateParams.class,
      "mergers", MergersParams.class,
      "predict", PredictParams.class,
      "compare", CompareParams.class,
      "real-sample", RealSampleParams.class);

  private SectionFlags() {}

  /** Adds the flags of every stage command under {@code gz}. */
  static void addTo(CommandLine gz) {
    SECTIONS.forEach((name, type) -> add(gz.getSubcommands().get(name).getCommandSpec(), type));
  }

  private static void add(CommandSpec command, Class<?> type) {
    for (BeanPropertyDefinition p : ConfigFlags.properties(type)) {
      String description = p.getMetadata().getDescription();
      if (description == null) {
        continue; // a key for configs only (a nested section, or one gz run fills in)
      }
      Class<?> raw = Primitives.wrap(p.getRawPrimaryType());
      String fallback = ConfigFlags.defaultOf(type, p.getName());
      OptionSpec.Builder option = OptionSpec.builder("--" + p.getName())
          .description(fallback == null ? description
              : description.replaceFirst("\\.$", "") + " (default: ${DEFAULT-VALUE}).")
          .defaultValue(fallback);
      if (List.class.isAssignableFrom(raw)) {
        option.type(List.class).auxiliaryTypes(String.class).splitRegex(",").paramLabel("<value>");
      } else {
        option.type(raw).paramLabel(Number.class.isAssignableFrom(raw) ? "<n>" : "<" + p.getName() + ">");
      }
      if (raw == Boolean.class) {
        option.arity("0..1"); // --tta, or --tta=false to override a config
      }
      command.addOption(option.build());
    }
  }
}
