package org.gzpipelines.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.gzpipelines.explore.LabelCorrelation.CoMoments;
import org.gzpipelines.explore.LabelCorrelation.CorrelationFn;
import org.gzpipelines.schemas.Split;
import org.junit.jupiter.api.Test;

class LabelCorrelationTest {

  /** Correlated random vectors: x = offset + scale * (A z), so the true correlations are far from 0. */
  static List<float[]> randomVectors(int n, int d, double offset, double scale, long seed) {
    Random random = new Random(seed);
    double[][] mix = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        mix[i][j] = random.nextGaussian() * (i == j ? 1 : 0.4);
      }
    }
    List<float[]> rows = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      double[] z = new double[d];
      for (int i = 0; i < d; i++) {
        z[i] = random.nextGaussian();
      }
      float[] x = new float[d];
      for (int i = 0; i < d; i++) {
        double v = 0;
        for (int j = 0; j < d; j++) {
          v += mix[i][j] * z[j];
        }
        x[i] = (float) (offset + scale * v);
      }
      rows.add(x);
    }
    return rows;
  }

  /** The textbook two-pass computation: means first, then centred products. */
  static double[][] twoPass(List<float[]> rows) {
    int d = rows.get(0).length;
    double[] mean = new double[d];
    for (float[] x : rows) {
      for (int i = 0; i < d; i++) {
        mean[i] += x[i];
      }
    }
    for (int i = 0; i < d; i++) {
      mean[i] /= rows.size();
    }
    double[][] c = new double[d][d];
    for (float[] x : rows) {
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          c[i][j] += (x[i] - mean[i]) * (x[j] - mean[j]);
        }
      }
    }
    double[][] r = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        r[i][j] = c[i][j] / Math.sqrt(c[i][i] * c[j][j]);
      }
    }
    return r;
  }

  /** Splits rows into uneven partials, as workers' bundles would be, and merges them in a tree. */
  static CoMoments mergedPartials(List<float[]> rows, long seed) {
    CorrelationFn fn = new CorrelationFn();
    Random random = new Random(seed);
    List<CoMoments> partials = new ArrayList<>();
    int start = 0;
    while (start < rows.size()) {
      int end = Math.min(rows.size(), start + 1 + random.nextInt(400));
      CoMoments acc = fn.createAccumulator();
      for (float[] x : rows.subList(start, end)) {
        acc = fn.addInput(acc, new LabelVector(0, Split.TRAIN, x));
      }
      partials.add(acc);
      start = end;
    }
    partials.add(fn.createAccumulator()); // an empty bundle must merge as a no-op
    while (partials.size() > 1) {
      List<CoMoments> next = new ArrayList<>();
      for (int i = 0; i < partials.size(); i += 3) {
        next.add(fn.mergeAccumulators(partials.subList(i, Math.min(partials.size(), i + 3))));
      }
      partials = next;
    }
    return fn.extractOutput(partials.get(0));
  }

  @Test
  void oneElementAtATimeMatchesTwoPass() {
    List<float[]> rows = randomVectors(3000, 37, 0.3, 0.1, 1);
    CorrelationFn fn = new CorrelationFn();
    CoMoments acc = fn.createAccumulator();
    for (float[] x : rows) {
      acc = fn.addInput(acc, new LabelVector(0, Split.TRAIN, x));
    }
    assertClose(twoPass(rows), fn.extractOutput(acc).correlation(), 1e-10);
    assertEquals(3000, acc.count());
  }

  @Test
  void mergedPartialsMatchTwoPass() {
    List<float[]> rows = randomVectors(5000, 37, 0.3, 0.1, 2);
    CoMoments merged = mergedPartials(rows, 3);
    assertEquals(5000, merged.count());
    assertClose(twoPass(rows), merged.correlation(), 1e-10);
  }

  @Test
  void largeOffsetsDoNotCancel() {
    // Mean 1e5, spread 1: the naive sum(xy) - sum(x)sum(y)/n loses ~10 of double's 16 digits here.
    List<float[]> rows = randomVectors(4000, 10, 1e5, 1.0, 4);
    double[][] expected = twoPass(rows);
    assertClose(expected, mergedPartials(rows, 5).correlation(), 1e-9);
    assertTrue(Math.abs(naive(rows)[0][1] - expected[0][1]) > 1e-9 * 10,
        "the naive formula should visibly lose precision on this data, else the test proves nothing");
  }

  @Test
  void constantLabelHasNoCorrelation() {
    List<float[]> rows = randomVectors(100, 3, 0, 1, 6);
    rows.forEach(x -> x[2] = 0.5f);
    double[][] r = mergedPartials(rows, 7).correlation();
    assertTrue(Double.isNaN(r[0][2]));
    assertEquals(1.0, r[0][0], 1e-12);
  }

  static double[][] naive(List<float[]> rows) {
    int d = rows.get(0).length;
    double n = rows.size();
    double[] s = new double[d];
    double[][] sxy = new double[d][d];
    for (float[] x : rows) {
      for (int i = 0; i < d; i++) {
        s[i] += x[i];
        for (int j = 0; j < d; j++) {
          sxy[i][j] += (double) x[i] * x[j];
        }
      }
    }
    double[][] r = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double cij = sxy[i][j] - s[i] * s[j] / n;
        r[i][j] = cij / Math.sqrt((sxy[i][i] - s[i] * s[i] / n) * (sxy[j][j] - s[j] * s[j] / n));
      }
    }
    return r;
  }

  static void assertClose(double[][] expected, double[][] actual, double tolerance) {
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < expected.length; j++) {
        assertEquals(expected[i][j], actual[i][j], tolerance, "r[" + i + "][" + j + "]");
      }
    }
  }
}
