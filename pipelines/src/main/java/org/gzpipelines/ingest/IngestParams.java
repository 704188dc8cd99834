package org.gzpipelines.ingest;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.nio.file.Path;
import java.util.List;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.model.config.Ranges;
import org.gzpipelines.model.data.Preprocessing;
import org.gzpipelines.tracking.SharedPaths;

/**
 * The {@code ingest:} section: images (+ labels) to validated, cropped, downsampled, split Avro
 * shards. Each described key is also a flag of {@code gz ingest} ({@code --crop-size}). Defaults
 * follow Dieleman et al. 2015.
 */
public final class IngestParams implements ExperimentConfigFile.Validated {
  @JsonPropertyDescription("Folder of " + ImageInput.IMAGE_FILES + " (searched recursively), or a .zip / .tar.gz / .tgz / .tar archive;"
      + " gz run defaults it to synth's images.")
  public String images;
  @JsonPropertyDescription("Labels CSV (GalaxyID + Class1.1..Class11.6), or a .zip (as Kaggle ships it) or .gz of it. Without it the"
      + " images are ingested as the test split.")
  public String labels;
  @JsonPropertyDescription("Output folder, replaced atomically when the run completes.")
  public String out = "data/gz2";

  /** The run's name: the stage and the folder it writes, so that a runs table tells ingests apart. */
  public String runName() {
    return "ingest " + SharedPaths.of(Path.of(out));
  }

  @JsonPropertyDescription("Ingest again even when the output's manifest.json says it is up to date.")
  public boolean force = false;
  @JsonPropertyDescription("Required image side in pixels; 0 accepts any square RGB image at least crop-size wide.")
  public int expectedSize = Preprocessing.DEFAULTS.expectedSize();
  @JsonPropertyDescription("Centre crop side.")
  public int cropSize = Preprocessing.DEFAULTS.cropSize();
  @JsonPropertyDescription("Stored image side after area-averaging resize.")
  public int outputSize = Preprocessing.DEFAULTS.outputSize();
  @JsonPropertyDescription("Share of labelled galaxies in the training split.")
  public double trainFraction = 0.8;
  @JsonPropertyDescription("Seed of the GalaxyID hash that assigns the split.")
  public long splitSeed = 42;
  @JsonPropertyDescription("Extra randomly rotated and mirrored copies of each training image.")
  public int augment = 0;
  @JsonPropertyDescription("Seed of the copies' angles and mirrors.")
  public long augmentSeed = 7;
  @JsonPropertyDescription("Target records per Avro shard.")
  public int recordsPerShard = 150;
  @JsonPropertyDescription("Fixed number of shards per split; 0 = from records-per-shard.")
  public int shards = 0;
  @JsonPropertyDescription("Most images one work unit reads, preprocesses and writes (a Direct-runner bundle); caps the work per unit"
      + " whatever the input's size (docs/BENCHMARKS.md).")
  public int imagesPerBundle = 256;

  @Override
  public void validate(String section, List<String> problems) {
    if (out == null || out.isBlank()) {
      problems.add("'" + section + ".out': not set; give --out <folder>");
    }
    try {
      preprocessing();
    } catch (IllegalArgumentException e) {
      problems.add("'" + section + ".crop-size': " + e.getMessage());
    }
    // Each copy is a full record per training image, each shard a file.
    Ranges.check(problems, section + ".augment", augment, 0, 100);
    if (!(trainFraction >= 0 && trainFraction <= 1)) {
      problems.add("'" + section + ".train-fraction': must be within [0, 1], not " + trainFraction);
    }
    if (recordsPerShard < 1) {
      problems.add("'" + section + ".records-per-shard': must be at least 1, not " + recordsPerShard);
    }
    Ranges.check(problems, section + ".shards", shards, 0, 10_000);
    Ranges.check(problems, section + ".images-per-bundle", imagesPerBundle, 1, 100_000);
  }

  public boolean labelled() {
    return labels != null && !labels.isBlank();
  }

  public Preprocessing preprocessing() {
    return Preprocessing.of(expectedSize, cropSize, outputSize);
  }
}
