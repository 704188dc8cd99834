package org.gzpipelines.explore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DoublingHistogramTest {

  /** Counts with a fixed range known in advance: the reference. */
  static long[] fixed(double[] values, double range, int bins) {
    long[] counts = new long[bins];
    for (double v : values) {
      counts[Math.min(bins - 1, (int) Math.floor((v + range) / (2 * range) * bins))]++;
    }
    return counts;
  }

  @Test
  void widenedAndMergedHistogramsEqualAFixedRangeHistogram() {
    Random random = new Random(5);
    double[] values = new double[5000];
    for (int i = 0; i < values.length; i++) {
      // Mostly tiny deviations, a few large ones: forces many doublings in some partials only.
      values[i] = random.nextDouble() < 0.95 ? random.nextGaussian() * 1e-7 : random.nextGaussian() * 0.3;
    }
    DoublingHistogram whole = new DoublingHistogram(1e-8, 40);
    DoublingHistogram a = new DoublingHistogram(1e-8, 40);
    DoublingHistogram b = new DoublingHistogram(1e-8, 40);
    for (int i = 0; i < values.length; i++) {
      whole.add(values[i]);
      (i % 7 == 0 ? a : b).add(values[i]);
    }
    a.merge(b);
    assertEquals(whole.range(), a.range());
    assertArrayEquals(whole.fractions(), a.fractions());
    long[] expected = fixed(values, whole.range(), 40);
    double[] fractions = whole.fractions();
    for (int i = 0; i < 40; i++) {
      assertEquals(expected[i] / 5000.0, fractions[i], 1e-12, "bin " + i);
    }
    assertEquals(5000, whole.total());
  }
}
