package org.gzpipelines.explore;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Options of the explore pipeline. */
public interface ExploreOptions extends PipelineOptions {

  @Description("Ingested dataset folder: train/, val/, optional test/ and dead-letter/ Avro shards, manifest.json.")
  @Validation.Required
  String getData();

  void setData(String value);

  @Description("Report folder (results.json, figures, report.html).")
  @Validation.Required
  String getOut();

  void setOut(String value);

  @Description("Seed of the random image sample.")
  @Default.Long(42)
  long getSeed();

  void setSeed(long value);

  @Description("Number of randomly sampled images shown (a square number fills the grid).")
  @Default.Integer(25)
  int getSampleSize();

  void setSampleSize(int value);
}
