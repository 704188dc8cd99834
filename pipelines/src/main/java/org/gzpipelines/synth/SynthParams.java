package org.gzpipelines.synth;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.tracking.SharedPaths;

/**
 * The {@code synth:} section (each described key is also a flag of {@code gz synth}): a synthetic
 * Galaxy Zoo dataset in the Kaggle layout with known truth. Turned into the generator's {@link SynthOptions} by
 * {@link #options()}, which checks every value.
 */
public final class SynthParams implements ExperimentConfigFile.Validated {
  @JsonPropertyDescription("Folder to write the dataset into (created if missing).")
  public String out = "data/synth";

  /** The run's name: the stage and the folder it writes, so that a runs table tells sets apart. */
  public String runName() {
    return "synth " + SharedPaths.of(Path.of(out));
  }

  @JsonPropertyDescription("Labelled galaxies.")
  public int count = 2000;
  @JsonPropertyDescription("Unlabelled galaxies in images_test_rev1; 0 = no test folder.")
  public int testCount = 0;
  @JsonPropertyDescription("Master seed: the same seed and options give the same bytes.")
  public long seed = 42;
  @JsonPropertyDescription("Fraction of labelled galaxies drawn as mergers, in [0, 1].")
  public double mergerFraction = 0.05;
  @JsonPropertyDescription("Fraction of test galaxies drawn as mergers, in [0, 1]; unset = merger-fraction.")
  public Double testMergerFraction;
  @JsonPropertyDescription("Volunteer confusion in the vote fractions, in [0, 1]: 0 gives labels that follow the drawn"
      + " truth exactly.")
  public double noise = 0.1;
  @JsonPropertyDescription("Also pack each image folder as <folder>.tar.gz and/or <folder>.zip, e.g. tar.gz,zip.")
  public List<String> archives = new ArrayList<>();
  @JsonPropertyDescription("Image width and height in pixels, " + SynthOptions.MIN_SIZE + "-4096 (Kaggle: 424);"
      + " galaxies scale with it.")
  public int size = 424;
  @JsonPropertyDescription("Worker threads; 0 = one per core. The output does not depend on it.")
  public int threads = 0;
  @JsonPropertyDescription("A folder of real Galaxy Zoo JPEGs: after generating, print and plot synthetic vs real image"
      + " statistics side by side (sky, noise, sizes, colours, other sources, JPEG quality).")
  public String compareReal;

  @Override
  public void validate(String section, List<String> problems) {
    try {
      options();
    } catch (IllegalArgumentException e) {
      problems.add("'" + section + "': " + e.getMessage());
    }
  }

  /** The generator's options; a bad value is an {@link IllegalArgumentException} naming the flag. */
  public SynthOptions options() {
    EnumSet<ArchiveFormat> formats = EnumSet.noneOf(ArchiveFormat.class);
    for (String a : archives) {
      formats.add(ArchiveFormat.parse(a));
    }
    return SynthOptions.defaults()
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
  }
}
