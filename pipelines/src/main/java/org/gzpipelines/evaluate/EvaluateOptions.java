package org.gzpipelines.evaluate;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Typed options of the evaluate pipeline (the gz evaluate command fills them). */
public interface EvaluateOptions extends ModelOptions {

  @Description("Ingested data folder (val/ and optionally test/ shards).")
  @Validation.Required
  String getData();

  void setData(String value);

  @Description("Folder the pipeline writes predictions, metrics and figure inputs to.")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description("Average predictions over the 8 rotations/flips of each image.")
  @Default.Boolean(false)
  boolean getTta();

  void setTta(boolean value);

  @Description("Comma-separated labels (Kaggle ids or descriptive names) to show extreme galaxies for.")
  @Default.String("Class1.1,Class1.3,Class2.1,Class8.1,Class8.2,Class11.2,Class8.6")
  String getExtremeLabels();

  void setExtremeLabels(String value);

  @Description("Galaxies in the true-vs-predicted scatter sample (bounded pipeline state).")
  @Default.Integer(5000)
  int getScatterSample();

  void setScatterSample(int value);

  @Description("Seed of the scatter sample.")
  @Default.Long(42)
  long getSeed();

  void setSeed(long value);
}
