package org.gzpipelines.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamingMomentsTest {

  @Test
  void mergedPartialsMatchDirectMoments() {
    Random random = new Random(3);
    double[] x = new double[4000];
    for (int i = 0; i < x.length; i++) {
      // Skewed: many zeros and an exponential tail, shifted far from 0.
      x[i] = 1000 + (random.nextDouble() < 0.4 ? 0 : -Math.log(1 - random.nextDouble()) / 5);
    }
    StreamingMoments whole = new StreamingMoments(1000, 1001, 200);
    StreamingMoments a = new StreamingMoments(1000, 1001, 200);
    StreamingMoments b = new StreamingMoments(1000, 1001, 200);
    for (int i = 0; i < x.length; i++) {
      whole.add(x[i]);
      (i < 1300 ? a : b).add(x[i]);
    }
    a.merge(b);
    double mean = 0;
    for (double v : x) {
      mean += v / x.length;
    }
    double m2 = 0;
    double m3 = 0;
    double m4 = 0;
    for (double v : x) {
      double d = v - mean;
      m2 += d * d;
      m3 += d * d * d;
      m4 += d * d * d * d;
    }
    double n = x.length;
    double skew = Math.sqrt(n) * m3 / Math.pow(m2, 1.5);
    double kurt = n * m4 / (m2 * m2) - 3;
    for (StreamingMoments m : new StreamingMoments[] {whole, a}) {
      assertEquals(mean, m.mean(), 1e-9);
      assertEquals(m2 / (n - 1), m.variance(), 1e-9);
      assertEquals(skew, m.skewness(), 1e-7);
      assertEquals(kurt, m.excessKurtosis(), 1e-6);
      assertEquals(4000, m.count());
    }
    double[] sorted = x.clone();
    java.util.Arrays.sort(sorted);
    double median = (sorted[1999] + sorted[2000]) / 2;
    assertEquals(median, a.median(), 1.0 / 200);
  }

  @Test
  void countsPeaksOnlyWhenSeparatedByADip() {
    double[] oneHump = new double[20];
    oneHump[8] = 0.3;
    oneHump[9] = 0.28;
    oneHump[10] = 0.3;
    oneHump[11] = 0.12;
    assertEquals(1, LabelStatistics.countPeaks(oneHump));
    double[] pileAndHump = new double[20];
    pileAndHump[0] = 0.5;
    pileAndHump[1] = 0.1;
    pileAndHump[15] = 0.25;
    pileAndHump[16] = 0.15;
    assertEquals(2, LabelStatistics.countPeaks(pileAndHump));
  }
}
