package org.gzpipelines.explore;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.nio.file.Path;
import java.util.List;
import org.gzpipelines.ingest.ImageInput;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.model.config.Ranges;
import org.gzpipelines.tracking.SharedPaths;

/**
 * The {@code explore:} section (each described key is also a flag of {@code gz explore}): which
 * ingested dataset to describe, where the report goes, and the random sample it shows.
 */
public final class ExploreParams implements ExperimentConfigFile.Validated {
  @JsonPropertyDescription("Ingested dataset folder (train/, val/, manifest.json; from gz ingest), or raw images: --images;"
      + " gz run defaults it to ingest's output.")
  public String data;
  @JsonPropertyDescription("Raw " + ImageInput.IMAGE_FILES + " (folder, .zip or .tar.gz) instead of --data: ingested"
      + " first with gz ingest's defaults into <images>-ingested (or --data, if given as the place to ingest to).")
  public String images;
  @JsonPropertyDescription("Labels CSV that goes with --images.")
  public String labels;
  @JsonPropertyDescription("Report folder; unset = <data>/explore.")
  public String out;
  @JsonPropertyDescription("Seed of the random image sample.")
  public long seed = 42;
  @JsonPropertyDescription("Random images shown (a square number fills the grid).")
  public int sampleSize = 25;
  @JsonPropertyDescription("MLflow run name (default: explore and the data folder, as ingest's runs are named).")
  public String runName;

  /** The run's name: {@link #runName}, else the stage and the folder it reports on. */
  public String name() {
    return runName != null ? runName : "explore " + SharedPaths.of(dataDir());
  }

  @Override
  public void validate(String section, List<String> problems) {
    Ranges.check(problems, section + ".sample-size", sampleSize, 1, 10_000); // drawn as one figure
  }

  public Path dataDir() {
    return Path.of(data);
  }

  public Path reportDir() {
    return out != null ? Path.of(out) : dataDir().resolve("explore");
  }

  /** Where raw {@link #images} are ingested to: {@link #data} when given, else {@code <images>-ingested}. */
  public Path ingestTarget() {
    if (data != null) {
      return Path.of(data);
    }
    Path in = Path.of(images).toAbsolutePath();
    String name = in.getFileName().toString().replaceAll("\\.(zip|tar\\.gz|tgz|tar)$", "");
    return in.resolveSibling(name + "-ingested");
  }
}
