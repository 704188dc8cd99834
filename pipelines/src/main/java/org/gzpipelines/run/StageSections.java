package org.gzpipelines.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gzpipelines.model.config.ExperimentConfigFile;

/**
 * The config sections {@code gz run} reads besides {@code train:} (which the model module owns).
 * Keys are kebab-case in YAML; unknown keys are errors that name the key and file.
 */
public final class StageSections {

  private StageSections() {}

  /** {@code stages:}: the stages to run, in order. */
  public static final class Stages extends ArrayList<String> {}

  /** {@code synth:}: a synthetic dataset to generate first (see {@code gz synth --help}). */
  public static final class Synth implements ExperimentConfigFile.Validated {
    public String out = "data/synth";
    public int count = 2000;
    public int testCount = 500;
    public long seed = 42;
    public double mergerFraction = 0.05;
    public Double testMergerFraction;
    public double noise = 0.1;
    public int size = 424;

    @Override
    public void validate(String section, List<String> problems) {
      if (count < 1) {
        problems.add("'" + section + ".count': must be at least 1, not " + count);
      }
      if (testCount < 0) {
        problems.add("'" + section + ".test-count': must not be negative, not " + testCount);
      }
    }
  }

  /** {@code ingest:}: see {@code gz ingest --help}; images/labels default to the synth output. */
  public static final class Ingest {
    public String images;
    public String labels;
    public String out = "data/gz2";
    public int expectedSize = 424;
    public int cropSize = 207;
    public int outputSize = 69;
    public int augment = 0;
  }

  /** {@code explore:}: see {@code gz explore --help}. */
  public static final class Explore {
    public int sampleSize = 25;
  }

  /** {@code evaluate:}: see {@code gz evaluate --help}. */
  public static final class Evaluate {
    public boolean tta = false;
  }

  /** {@code mergers:}: see {@code gz mergers --help}; images default to the synth test set. */
  public static final class Mergers {
    public String images;
    public double threshold = 0.4;
    public String truth;
  }

  /**
   * {@code sweep:}: a grid over train keys (dotted below {@code train.}), e.g. {@code grid:
   * {architecture: [custom-cnn, resnet18], optimizer.lr: [0.001, 0.0003]}}: every combination is
   * trained as its own child run, and the compare stage draws them on one figure.
   */
  public static final class Sweep {
    public Map<String, List<Object>> grid = new LinkedHashMap<>();
  }
}
