package org.gzpipelines.predict;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.model.config.Ranges;
import org.gzpipelines.model.config.TrainConfig;

/** The keys of every stage that runs a trained model: which model, and its inference batch size. */
public abstract class ModelParams implements ExperimentConfigFile.Validated {
  @JsonPropertyDescription("The model: a gz train run id (under GZ_RUNS_DIR; its first 8 or more digits do where"
      + " no other run starts with them), its run folder, a saved model folder,"
      + " or from the MLflow server models:/<name>/<version>, models:/<name>@<alias>, models:/<name>/latest,"
      + " models:/m-<logged model id> or runs:/<run id>/best-model;"
      + " gz run sets the model it trained.")
  public String model;
  @JsonPropertyDescription("Images per inference batch.")
  public int batchSize = 64;

  @Override
  public void validate(String section, List<String> problems) {
    Ranges.check(problems, section + ".batch-size", batchSize, 1, TrainConfig.MAX_BATCH_SIZE); // same arrays as training
  }
}
