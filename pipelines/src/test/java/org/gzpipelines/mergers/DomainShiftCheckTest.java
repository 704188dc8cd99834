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
    assertFalse(s.verdict(5).get(0).contains("merger fraction"), "no fraction was drawn at, none scanned");
  }

  /**
   * Galaxies with every compared quantity (the answers, then the image statistics) drawn from N(0, 1),
   * but a merger's first five answers and its brightness from N(1, 1), as mergers move them; {@code
   * skyNoise} is added to each galaxy's sky noise.
   */
  private static void galaxies(ShiftSample s, int first, int n, double mergerFraction, double skyNoise, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int quantities = DomainShiftCheck.ANSWERS.size() + ImageStatistics.QUANTITIES.size();
    for (int i = 0; i < n; i++) {
      boolean merger = i < Math.round(n * mergerFraction);
      double[] v = new double[quantities];
      for (int j = 0; j < quantities; j++) {
        v[j] = r.nextGaussian() + (merger && (j < 5 || j == DomainShiftCheck.ANSWERS.size()) ? 1 : 0);
      }
      v[quantities - 1] += skyNoise;
      s.add(first + i, v, merger);
    }
  }

  @Test
  void aWrongEstimateIsToldFromImagesUnlikeTheValidationSplit() {
    ShiftSample validation = new ShiftSample(5000, 1);
    galaxies(validation, 0, 1500, 0.2, 0, 2);
    // Test galaxies like the validation split's, 10% of them mergers: drawn at a wrong estimate of
    // 40%, they differ; drawn at 10% they do not, and the scan finds it.
    ShiftSample tenPercent = new ShiftSample(5000, 1);
    galaxies(tenPercent, 10_000, 1000, 0.1, 0, 3);
    DomainShiftCheck check = new DomainShiftCheck(0.01, 5000, 1);
    DomainShift wrong = check.check(validation, tenPercent.draw(Double.NaN), 0.4).orElseThrow();
    assertTrue(wrong.detected(), "drawn at 40% the validation galaxies hold too many mergers");
    assertTrue(wrong.explainedByPrevalence(), wrong.comparisons().toString());
    assertFalse(wrong.imagesDiffer());
    DomainShift.FractionScan m = wrong.matching().orElseThrow();
    assertTrue(m.low() <= 0.1 && 0.1 <= m.high() && m.high() < 0.4, m.toString());
    assertTrue(wrong.verdict(5).get(0).startsWith("THE ESTIMATE LOOKS OFF; NO DIFFERENCE IN THE IMAGES DETECTED"),
        wrong.verdict(5).get(0));
    assertTrue(wrong.verdict(5).get(0).contains(m + " mergers (" + m.tried() + "; a range the data do not rule out, not a"
        + " measurement); no difference in the images was found"),
        wrong.verdict(5).get(0));
    // Every fraction tried has as many validation galaxies as the draw at the estimate (300 mergers,
    // 1,200 others: 750 at 40%), so none "matches" for want of power; 75% needs 1,000 and is not tried.
    assertEquals(wrong.validationGalaxies(), m.galaxies());
    assertEquals(750, m.galaxies());
    assertTrue(m.triedLow() == 0 && m.triedHigh() == 0.4, m.tried());
    assertFalse(wrong.verdict(5).get(0).contains("too few"), "1,000 test galaxies: " + wrong.verdict(5).get(0));
    // On a few dozen test galaxies, finding no difference says little, and the verdict says so.
    DomainShift few = new DomainShift(wrong.alpha(), wrong.validationGalaxies(), 48, wrong.mergerFraction(),
        wrong.comparisons(), wrong.scan());
    assertTrue(few.imagesFinding().endsWith("on only 48 test galaxies, too few to rule one out"), few.imagesFinding());
    assertTrue(few.verdict(5).get(0).startsWith("THE ESTIMATE LOOKS OFF; TOO FEW GALAXIES TO TELL WHETHER THE"
        + " IMAGES DIFFER: "), "no claim about the images: " + few.verdict(5).get(0));
    // Drawn at the right fraction there is nothing to explain.
    DomainShift right = check.check(validation, tenPercent.draw(Double.NaN), 0.1).orElseThrow();
    assertFalse(right.detected(), right.shiftedKeys());
    assertTrue(right.matching().isEmpty());
    assertEquals("domain-shift check: no shift detected", right.verdict(5).get(0));
    // On a few dozen test galaxies, finding no shift says little, and the verdict says so too.
    DomainShift fewRight = new DomainShift(right.alpha(), right.validationGalaxies(), 40, right.mergerFraction(),
        right.comparisons(), right.scan());
    assertEquals("domain-shift check: no shift detected on only 40 test galaxies, too few to rule one out",
        fewRight.verdict(5).get(0));

    // Noisier images: no merger fraction makes the validation galaxies look like them.
    ShiftSample noisier = new ShiftSample(5000, 1);
    galaxies(noisier, 10_000, 1000, 0.1, 0.5, 3);
    DomainShift images = check.check(validation, noisier.draw(Double.NaN), 0.1).orElseThrow();
    assertTrue(images.imagesDiffer(), images.comparisons().toString());
    assertEquals("image.sky-noise", images.shiftedKeys());
    assertEquals("1 of 3 image statistics (image.sky-noise) and 0 of 37 predicted answers", images.shiftedByKind());
    assertTrue(images.reading().startsWith("the images themselves differ"), images.reading());
    // The fractions tried are named, with as many validation galaxies at each as at the estimate.
    DomainShift.FractionScan tried = images.scan().orElseThrow();
    assertEquals(images.validationGalaxies(), tried.galaxies());
    assertTrue(tried.triedLow() <= 0.1 && 0.1 <= tried.triedHigh(), tried.tried());
    assertTrue(images.verdict(5).get(0).startsWith("DOMAIN SHIFT: the test images differ from the validation"
        + " split at every merger fraction tried (" + tried.tried() + "): 1 of 3"), images.verdict(5).get(0));
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
