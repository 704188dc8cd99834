package org.gzpipelines.evaluate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The keys of every stage that runs a trained model: which model, and its inference batch size. */
public abstract class ModelParams {
  @JsonPropertyDescription("The model: a gz train run id (under GZ_RUNS_DIR), its run folder, or a saved model folder;"
      + " gz run sets the model it trained.")
  public String model;
  @JsonPropertyDescription("Images per inference batch.")
  public int batchSize = 64;
}
