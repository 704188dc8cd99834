package org.gzpipelines.evaluate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import org.gzpipelines.predict.ModelParams;

/** The {@code real-sample:} section; each described key is also a flag of {@code gz real-sample}. */
public final class RealSampleParams extends ModelParams {
  @JsonPropertyDescription("Real Galaxy Zoo JPEGs sorted into spirals/ and non_spirals/ (e.g. samples/gz2-real).")
  public String sample;
  @JsonPropertyDescription("Output folder; unset = real-sample/<run id>.")
  public String output;
  @JsonPropertyDescription("A galaxy counts as a merger when its predicted Class8.6 is at least this (as gz mergers).")
  public double threshold = 0.4;
}
