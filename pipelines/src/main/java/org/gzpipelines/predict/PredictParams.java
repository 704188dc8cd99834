package org.gzpipelines.predict;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import org.gzpipelines.evaluate.ModelParams;
import org.gzpipelines.ingest.ImageInput;

/** The {@code predict:} section; each described key is also a flag of {@code gz predict}. */
public final class PredictParams extends ModelParams {
  @JsonPropertyDescription("Images to predict: raw " + ImageInput.IMAGE_FILES + " (dir, .zip, .tar.gz), or a folder written by"
      + " gz ingest (its test/ split); gz run defaults them to synth's test set.")
  public String images;
  @JsonPropertyDescription("The CSV to write, in the Kaggle submission format: GalaxyID and the 37 vote fractions, one row per galaxy.")
  public String out = "predictions.csv";

  @Override
  public void validate(String section, List<String> problems) {
    super.validate(section, problems);
    if (out == null || out.isBlank()) {
      problems.add("'" + section + ".out': not set; give --out <file.csv>");
    }
  }
}
