package org.gzpipelines.mergers;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import org.gzpipelines.ingest.ImageInput;
import org.gzpipelines.model.config.Ranges;
import org.gzpipelines.predict.ModelParams;

/** The {@code mergers:} section; each described key is also a flag of {@code gz mergers}. */
public final class MergersParams extends ModelParams {
  @JsonPropertyDescription("Test images: a folder written by gz ingest (its test/ split), or raw " + ImageInput.IMAGE_FILES
      + " (dir, .zip, .tar.gz); gz run defaults them to synth's test set.")
  public String images;
  @JsonPropertyDescription("Labelled ingested folder whose val/ split calibrates the criterion; unset = the model's"
      + " training data.")
  public String validation;
  @JsonPropertyDescription("A galaxy is a merger when its predicted Class8.6 vote fraction is at least this.")
  public double threshold = 0.4;
  @JsonPropertyDescription("truth.json of a gz synth set; unset = one beside the images, if any.")
  public String truth;
  @JsonPropertyDescription("Output folder; unset = mergers/<run id>.")
  public String output;

  @Override
  public void validate(String section, List<String> problems) {
    super.validate(section, problems);
    Ranges.check(problems, section + ".threshold", threshold, 0.0, 1.0); // a vote fraction
  }
}
