package org.gzpipelines.evaluate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** The {@code compare:} section, and the arguments of {@code gz compare}. */
public final class CompareParams {
  /** Training run ids (or run folders): gz compare's arguments; in gz run, earlier runs drawn beside those it trains. */
  @JsonPropertyDescription("Earlier training runs (ids or run folders) to draw beside the runs gz run trains.")
  public List<String> runs = new ArrayList<>();
  @JsonPropertyDescription("Output folder; unset = comparisons/<run id>.")
  public String output;
}
