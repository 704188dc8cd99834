package org.gzpipelines.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.gzpipelines.synth.ArchiveFormat;
import org.gzpipelines.synth.SynthOptions;
import org.gzpipelines.synth.SyntheticDataset;
import picocli.CommandLine.Command;
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
      "The same seed and options give the same bytes.",
      ""
    })
final class SynthCommand implements Callable<Integer> {

  @Option(names = "--out", required = true, description = "Folder to write the dataset into (created if missing).")
  Path out;

  @Option(names = "--count", defaultValue = "2000", description = "Labelled galaxies (default ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--test-count", defaultValue = "0",
      description = "Unlabelled galaxies in images_test_rev1 (default ${DEFAULT-VALUE}: no test folder).")
  int testCount;

  @Option(names = "--seed", defaultValue = "42", description = "Master seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--merger-fraction", defaultValue = "0.05",
      description = "Fraction of labelled galaxies drawn as mergers, in [0, 1] (default ${DEFAULT-VALUE}).")
  double mergerFraction;

  @Option(names = "--test-merger-fraction",
      description = "Fraction of test galaxies drawn as mergers, in [0, 1] (default: --merger-fraction).")
  Double testMergerFraction;

  @Option(names = "--noise", defaultValue = "0.1",
      description = "Volunteer confusion in the vote fractions, in [0, 1]: 0 gives labels that follow the"
          + " drawn truth exactly (default ${DEFAULT-VALUE}).")
  double noise;

  @Option(names = "--archives", split = ",", paramLabel = "FORMAT",
      description = "Also pack each image folder as <folder>.tar.gz and/or <folder>.zip, e.g. --archives tar.gz,zip.")
  List<String> archives = List.of();

  @Option(names = "--size", defaultValue = "424",
      description = "Image width and height in pixels, " + SynthOptions.MIN_SIZE + "-4096 (default ${DEFAULT-VALUE},"
          + " as Kaggle); galaxies scale with it.")
  int size;

  @Option(names = "--threads", defaultValue = "0",
      description = "Worker threads (default: one per core). Output does not depend on it.")
  int threads;

  @Override
  public Integer call() throws IOException {
    SynthOptions options;
    try {
      EnumSet<ArchiveFormat> formats = EnumSet.noneOf(ArchiveFormat.class);
      for (String a : archives) {
        formats.add(ArchiveFormat.parse(a));
      }
      options = SynthOptions.defaults()
          .withCount(count)
          .withTestCount(testCount)
          .withSeed(seed)
          .withMergerFraction(mergerFraction)
          .withTestMergerFraction(testMergerFraction != null ? testMergerFraction : mergerFraction)
          .withNoise(noise)
          .withArchives(formats)
          .withSize(size)
          .withThreads(threads)
          .validate();
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    long start = System.nanoTime();
    SyntheticDataset.Result result;
    try {
      result = SyntheticDataset.generate(options, out, line -> System.err.println("gz synth: " + line));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("wrote %d labelled images to %s and labels to %s%n", count, result.imagesDir(), result.labelsCsv());
    result.testDir().ifPresent(d -> System.out.printf("wrote %d test images to %s%n", testCount, d));
    result.archives().forEach(a -> System.out.println("wrote " + a));
    System.out.printf("truth (merger fractions: labelled %.4f%s) in %s%n",
        result.truth().training().trueMergerFraction(),
        result.truth().test() == null ? "" : String.format(", test %.4f", result.truth().test().trueMergerFraction()),
        result.truthJson());
    System.out.printf("done in %.1f s%n", seconds);
    return 0;
  }
}
