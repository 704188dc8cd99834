package org.gzpipelines.mergers;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.gzpipelines.evaluate.ModelOptions;
import org.apache.beam.sdk.options.Validation;

/** Typed options of the mergers pipeline (gz mergers fills them). */
public interface MergersOptions extends ModelOptions {

  @Description("The test images: an ingested folder (its test/ split), or raw images (dir, .zip, .tar.gz).")
  @Validation.Required
  String getImages();

  void setImages(String value);

  @Description("Ingested folder whose labelled val/ split calibrates the merger criterion; empty for none.")
  @Default.String("")
  String getValidation();

  void setValidation(String value);

  @Description("Folder for the predictions.")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description("Raw images only: required input side (0 = any square image), as gz ingest --expected-size.")
  @Default.Integer(424)
  int getExpectedSize();

  void setExpectedSize(int value);

  @Description("Raw images only: centre crop side, as the model's training data was ingested.")
  @Default.Integer(207)
  int getCropSize();

  void setCropSize(int value);

  @Description("Raw images only: stored image side (the model's input size).")
  @Default.Integer(69)
  int getOutputSize();

  void setOutputSize(int value);

}
