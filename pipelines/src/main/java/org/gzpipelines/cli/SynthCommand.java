package org.gzpipelines.cli;

import java.util.concurrent.Callable;
import org.gzpipelines.synth.CompareReal;
import org.gzpipelines.synth.Synth;
import org.gzpipelines.synth.SynthParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gz synth}: writes a synthetic Galaxy Zoo dataset with known truth in the Kaggle layout. */
@Command(
    name = "synth",
    header = "Generate a synthetic Galaxy Zoo dataset (Kaggle layout) with known truth.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Generate a synthetic Galaxy Zoo dataset in the Kaggle layout, with known truth:",
      "  <out>/images_training_rev1/<GalaxyID>.jpg  labelled images",
      "  <out>/training_solutions_rev1.csv          GalaxyID + 37 vote fractions",
      "  <out>/images_test_rev1/<GalaxyID>.jpg      unlabelled images (--test-count)",
      "  <out>/<folder>.tar.gz, <folder>.zip        archives (--archives)",
      "  <out>/truth.json  seed, options, true merger fractions, true morphologies",
      "The same seed and options give the same bytes. Each flag overrides the key",
      "of the same name in the config's synth: section.",
      "To compare a set written earlier with real images without generating it again:",
      "  gz synth --out <out> --compare-only --compare-real <folder of real JPEGs>",
      ""
    })
final class SynthCommand implements Callable<Integer> {

  // A flag, not a synth: key: it runs another stage, and a study always generates its set.
  @Option(names = "--compare-only",
      description = "Generate nothing: compare the set an earlier gz synth wrote in --out with the images of"
          + " --compare-real (writes <out>/realism/; the generator's flags are not used).")
  boolean compareOnly;

  @Mixin ConfigFlags flags;

  @Override
  public Integer call() throws Exception {
    try (var call = flags.call("synth", SynthParams.class, null)) {
      SynthParams p = call.params();
      if (compareOnly) {
        call.context().run("synth", p.runName() + " --compare-only", new CompareReal.Params(p.out, p.compareReal),
            new CompareReal());
      } else {
        call.context().run("synth", p.runName(), p, new Synth());
      }
    }
    return 0;
  }
}
