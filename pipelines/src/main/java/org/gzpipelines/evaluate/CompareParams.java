package org.gzpipelines.evaluate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** The {@code compare:} section, and the arguments of {@code gz compare}. */
public final class CompareParams {
  /** Training run ids (or run folders): gz compare's arguments; gz run sets the runs it trained. */
  public List<String> runs = new ArrayList<>();
  @JsonPropertyDescription("Output folder; unset = comparisons/<run id>.")
  public String output;
}
