package org.gzpipelines.mergers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DomainShiftCheckTest {

  private static final List<DomainShiftCheck.Quantity> QUANTITIES = List.of(
      new DomainShiftCheck.Quantity("a", "first"), new DomainShiftCheck.Quantity("b", "second"),
      new DomainShiftCheck.Quantity("c", "third"));

  private static double[] normal(int n, double mean, double sigma, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = mean + sigma * r.nextGaussian();
    }
    return out;
  }

  @Test
  void samplesOfOneDistributionAreNotAShift() {
    List<double[]> validation = new ArrayList<>();
    List<double[]> test = new ArrayList<>();
    for (int j = 0; j < QUANTITIES.size(); j++) {
      validation.add(normal(800, 0, 1, 10 + j));
      test.add(normal(600, 0, 1, 20 + j));
    }
    DomainShift s = new DomainShiftCheck(0.01, 5000, 1).compare(QUANTITIES, validation, test, Double.NaN);
    assertFalse(s.detected(), s.comparisons().toString());
    assertEquals("", s.shiftedKeys());
    assertEquals(800, s.validationGalaxies());
    assertEquals(600, s.testGalaxies());
  }

  @Test
  void aShiftedMeanAndAWiderSpreadAreNamed() {
    List<double[]> validation = List.of(normal(800, 0, 1, 1), normal(800, 0, 1, 2), normal(800, 0, 1, 3));
    List<double[]> test = List.of(normal(600, 0, 1, 4), normal(600, 0.5, 1, 5), normal(600, 0, 2, 6));
    DomainShift s = new DomainShiftCheck(0.01, 5000, 1).compare(QUANTITIES, validation, test, Double.NaN);
    assertTrue(s.detected());
    assertEquals(List.of("b", "c"), s.shifted().stream().map(DomainShift.Comparison::key).sorted().toList());
    DomainShift.Comparison b = s.comparisons().get(1);
    assertTrue(b.statistic() > 0.15 && b.pValue() < 1e-6, b.toString());
  }

  @Test
  void aShiftInTheMergerAnswersAloneBlamesTheEstimateWhenValidationWasDrawnAtIt() {
    List<DomainShiftCheck.Quantity> quantities = List.of(new DomainShiftCheck.Quantity("Class8.6", "predicted merger"),
        new DomainShiftCheck.Quantity("Class6.1", "predicted odd"), new DomainShiftCheck.Quantity("sky_noise", "sky"));
    List<double[]> validation = List.of(normal(800, 0, 1, 1), normal(800, 0, 1, 2), normal(800, 0, 1, 3));
    List<double[]> mergersOnly = List.of(normal(600, 0.5, 1, 4), normal(600, 0.5, 1, 5), normal(600, 0, 1, 6));
    DomainShift atEstimate = new DomainShiftCheck(0.01, 5000, 1).compare(quantities, validation, mergersOnly, 0.31);
    assertTrue(atEstimate.onlyMergerAnswersShifted(), atEstimate.comparisons().toString());
    assertTrue(atEstimate.verdict(5).get(0).startsWith("DOMAIN SHIFT OR A WRONG ESTIMATE"), atEstimate.verdict(5).get(0));
    // Drawn as the split holds them, a change of prevalence is a shift like any other.
    DomainShift asItIs = new DomainShiftCheck(0.01, 5000, 1).compare(quantities, validation, mergersOnly, Double.NaN);
    assertFalse(asItIs.onlyMergerAnswersShifted());
    // With an image statistic shifted too, the images differ.
    List<double[]> images = List.of(normal(600, 0.5, 1, 4), normal(600, 0, 1, 5), normal(600, 0.5, 1, 6));
    DomainShift imagesShifted = new DomainShiftCheck(0.01, 5000, 1).compare(quantities, validation, images, 0.31);
    assertTrue(imagesShifted.detected());
    assertFalse(imagesShifted.onlyMergerAnswersShifted());
    assertTrue(imagesShifted.verdict(5).get(0).startsWith("DOMAIN SHIFT: the test images"), imagesShifted.verdict(5).get(0));
  }

  @Test
  void theValidationSideIsDrawnAtTheTestsMergerFraction() {
    ShiftSample s = new ShiftSample(1000, 7);
    for (int i = 0; i < 1000; i++) {
      s.add(i, new double[] {i}, i < 300);
    }
    // As the split holds them: all 1,000, 300 of them mergers.
    assertEquals(List.of(1000L, 300L), counts(s.draw(Double.NaN)));
    // 10%: every non-merger (700) and 78 mergers, 10.0% of 778.
    assertEquals(List.of(778L, 78L), counts(s.draw(0.1)));
    // 50%: all 300 mergers and 300 of the others.
    assertEquals(List.of(600L, 300L), counts(s.draw(0.5)));
    assertEquals(List.of(700L, 0L), counts(s.draw(0)));
    assertEquals(List.of(300L, 300L), counts(s.draw(1)));
    // The same galaxies each time: a stratum's first in the seed's permutation.
    assertEquals(s.draw(0.1).stream().filter(ShiftSample.Row::merger).map(ShiftSample.Row::galaxyId).toList(),
        s.draw(0.1).stream().filter(ShiftSample.Row::merger).map(ShiftSample.Row::galaxyId).toList());
  }

  private static List<Long> counts(List<ShiftSample.Row> rows) {
    return List.of((long) rows.size(), rows.stream().filter(ShiftSample.Row::merger).count());
  }

  @Test
  void holmMultipliesTheKthSmallestPValueByTheTestsLeftAndKeepsTheOrder() {
    // Sorted 0.01, 0.02, 0.03, 0.5: 4 x 0.01, 3 x 0.02, max(0.06, 2 x 0.03), max(0.06, 0.5).
    assertArrayEquals(new double[] {0.06, 0.04, 0.5, 0.06},
        DomainShiftCheck.holm(new double[] {0.03, 0.01, 0.5, 0.02}), 1e-12);
    assertArrayEquals(new double[] {1, 1}, DomainShiftCheck.holm(new double[] {0.9, 0.8}), 1e-12);
  }
}
