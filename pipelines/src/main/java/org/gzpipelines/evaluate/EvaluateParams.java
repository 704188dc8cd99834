package org.gzpipelines.evaluate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import org.gzpipelines.model.config.Ranges;
import org.gzpipelines.predict.ModelParams;

/** The {@code evaluate:} section; each described key is also a flag of {@code gz evaluate}. */
public final class EvaluateParams extends ModelParams {
  @JsonPropertyDescription("Ingested data folder (holds val/, maybe test/); gz run defaults it to ingest's output, gz evaluate to the"
      + " data the model was trained on.")
  public String data;
  @JsonPropertyDescription("Test-time augmentation: average over the 8 rotations/flips (8x slower).")
  public boolean tta = false;
  @JsonPropertyDescription("Labels to show the extreme galaxies of (Kaggle ids or names, comma-separated).")
  public List<String> labels =
      List.of("smooth", "star or artifact", "edge-on: yes", "odd: ring", "odd: lens or arc", "arms: 2", "odd: merger");
  @JsonPropertyDescription("Output folder; unset = evaluations/<evaluate run id>.")
  public String output;
  @JsonPropertyDescription("Galaxies in the true-vs-predicted scatter sample (held in the driver's memory while it reads the predictions).")
  public int scatterSample = 5000;
  @JsonPropertyDescription("Seed of the scatter sample.")
  public long seed = 42;

  @Override
  public void validate(String section, List<String> problems) {
    super.validate(section, problems);
    Ranges.check(problems, section + ".scatter-sample", scatterSample, 1, 1_000_000); // held in memory, then drawn
  }
}
