package org.gzpipelines.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code sweep:} section: a grid over train keys (dotted below {@code train.}), e.g. {@code
 * grid: {architecture: [custom-cnn, resnet18], optimizer.lr: [0.001, 0.0003]}}: every combination
 * is trained as its own child run, and the compare stage draws them on one figure.
 */
public final class SweepParams {
  public Map<String, List<Object>> grid = new LinkedHashMap<>();
}
