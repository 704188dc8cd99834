package org.gzpipelines.predict;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The file formats gz predict writes its per-galaxy rows in. */
public enum SubmissionFormat {
  /** The Kaggle submission CSV. */
  @JsonProperty("csv") CSV(".csv"),
  /** The same columns as a Parquet file, for pandas, Spark or DuckDB ({@link SubmissionParquet}). */
  @JsonProperty("parquet") PARQUET(".parquet");

  private final String extension;

  SubmissionFormat(String extension) {
    this.extension = extension;
  }

  public String extension() {
    return extension;
  }

  /** The format a file's extension names ({@code .csv} or {@code .parquet}), if any. */
  static Optional<SubmissionFormat> named(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(f -> name.endsWith(f.extension)).findFirst();
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
