package org.gzpipelines.evaluate;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** The options of every pipeline that runs a trained model: which model, and its batch size. */
public interface ModelOptions extends PipelineOptions {

  @Description("Saved model folder (model/ or best-model/ of a gz train run).")
  @Validation.Required
  String getModelDir();

  void setModelDir(String value);

  @Description("Recorded in every prediction: the model's run id, or its folder.")
  @Default.String("")
  String getModelRunId();

  void setModelRunId(String value);

  @Description("Images per inference batch.")
  @Default.Integer(64)
  int getBatchSize();

  void setBatchSize(int value);
}
