package org.gzpipelines.run;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code sweep:} section: the training runs of a study. {@code grid:} is a grid over train keys
 * (dotted below {@code train.}), e.g. {@code grid: {architecture: [custom-cnn, resnet18],
 * optimizer.lr: [0.001, 0.0003]}}: every combination is trained as its own child run, and the
 * compare stage draws them on one figure. {@code baseline: true} trains the mean-label baseline
 * beside them, so every comparison has the reference a network must beat.
 */
public final class SweepParams {
  @JsonPropertyDescription("Train keys (below train.) to lists of values: every combination is trained as its own run.")
  public Map<String, List<Object>> grid = new LinkedHashMap<>();
  @JsonPropertyDescription("Also train the mean-label baseline (seconds) on the same data, as '<run-name> baseline'.")
  public boolean baseline;
}
