package org.gzpipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** gz runs' headline column: a merger fraction the run marks unreliable says so beside its value. */
class RunsHeadlineTest {

  @Test
  void anUnreliableMergerFractionIsMarked() {
    assertEquals("merger_fraction_corrected 0.2537 UNRELIABLE", RunsCommand.headline(
        Map.of("merger_fraction_corrected", 0.2537, "merger_fraction_corrected_reliable", 0.0)));
    assertEquals("merger_fraction_corrected 0.1052", RunsCommand.headline(
        Map.of("merger_fraction_corrected", 0.1052, "merger_fraction_corrected_reliable", 1.0)));
    assertEquals("val_rmse 0.1616", RunsCommand.headline(Map.of("val_rmse", 0.16163)));
  }
}
