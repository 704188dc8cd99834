package org.gzpipelines.predict;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.nio.file.Path;
import java.util.List;
import org.gzpipelines.ingest.ImageInput;

/** The {@code predict:} section; each described key is also a flag of {@code gz predict}. */
public final class PredictParams extends ModelParams {
  @JsonPropertyDescription("Images to predict: raw " + ImageInput.IMAGE_FILES + " (dir, .zip, .tar.gz), or a folder written by"
      + " gz ingest (its test/ split); gz run defaults them to synth's test set.")
  public String images;
  @JsonPropertyDescription("The file to write: GalaxyID and the 37 vote fractions, one row per galaxy"
      + " (default: predictions.csv, or predictions.parquet with --format parquet).")
  public String out;
  @JsonPropertyDescription("csv (the Kaggle submission format) or parquet (the same columns; default: parquet when --out"
      + " ends in .parquet, otherwise csv).")
  public SubmissionFormat format;

  /** The format to write: as given, or as the output's name says. */
  public SubmissionFormat outputFormat() {
    if (format != null) {
      return format;
    }
    return out == null ? SubmissionFormat.CSV : SubmissionFormat.named(Path.of(out)).orElse(SubmissionFormat.CSV);
  }

  /** The file to write: as given, or {@code predictions.<format>}. */
  public Path outputFile() {
    return Path.of(out != null ? out : "predictions" + outputFormat().extension());
  }

  @Override
  public void validate(String section, List<String> problems) {
    super.validate(section, problems);
    if (out != null && out.isBlank()) {
      problems.add("'" + section + ".out' is empty; give --out <file.csv or file.parquet>");
    } else if (out != null && format != null) {
      SubmissionFormat named = SubmissionFormat.named(Path.of(out)).orElse(format);
      if (named != format) {
        problems.add("'" + section + ".out' is " + out + " but '" + section + ".format' is " + format + ": give --format "
            + named + ", or an --out ending in " + format.extension());
      }
    }
  }
}
