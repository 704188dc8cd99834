package org.gzpipelines.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.gzpipelines.evaluate.RealSample.AucEstimate;
import org.gzpipelines.evaluate.RealSample.Scored;
import org.junit.jupiter.api.Test;

/** The real sample's AUC and its DeLong standard error. */
class RealSampleAucTest {

  private static List<Scored> scores(boolean spiral, double... values) {
    return IntStream.range(0, values.length)
        .mapToObj(i -> new Scored(i, spiral, new float[] {(float) values[i]}))
        .toList();
  }

  @Test
  void worksOutDeLongsVarianceFromEachImagesPlacement() {
    // Wins: 0.9 beats both non-spirals, 0.4 beats only 0.1: AUC 3/4. Placements of the spirals
    // 1 and 1/2, of the non-spirals 1/2 and 1, each with sample variance 1/8: 1/8 / 2 + 1/8 / 2.
    AucEstimate auc = RealSample.auc(scores(true, 0.9, 0.4), scores(false, 0.5, 0.1), 0);
    assertEquals(0.75, auc.value(), 1e-12);
    assertEquals(Math.sqrt(0.125), auc.standardError(), 1e-12);
    assertEquals(0.75 - 1.96 * Math.sqrt(0.125), auc.low(), 1e-12);
    assertEquals(1, auc.high(), 1e-12, "clamped at 1");
    assertEquals("0.8 (0.1-1.0)", auc.toString(), "quoted at the precision its interval allows");
  }

  @Test
  void countsTiesAsHalfAndGivesPerfectRankingNoSpread() {
    AucEstimate tied = RealSample.auc(scores(true, 0.3, 0.3), scores(false, 0.3, 0.3), 0);
    assertEquals(0.5, tied.value(), 1e-12);
    // A constant model (the mean-label baseline) ranks nothing: no zero-width interval printed for it.
    assertEquals("0.50 (all scores equal)", tied.toString());
    // At the real sample's size the shares of ties sum to 0.49999999999999784, not 0.5: still all tied.
    double[] constant = new double[677];
    Arrays.fill(constant, 0.3);
    assertEquals("0.50 (all scores equal)",
        RealSample.auc(scores(true, constant), scores(false, Arrays.copyOf(constant, 333)), 0).toString());
    AucEstimate perfect = RealSample.auc(scores(true, 0.8, 0.9, 0.7), scores(false, 0.1, 0.2), 0);
    assertEquals(1, perfect.value(), 1e-12);
    assertEquals(0, perfect.standardError(), 1e-12);
    assertEquals(1, perfect.low(), 1e-12);
    assertEquals("1.00 (classes apart)", perfect.toString());
    AucEstimate one = RealSample.auc(scores(true, 0.9), scores(false, 0.5, 0.95), 0);
    assertEquals("0.50 (too few images for an interval)", one.toString(), "one spiral: no variance to estimate");
  }

  @Test
  void narrowsWithTheSquareRootOfTheSampleSize() {
    // The same interleaving of scores, repeated 4 times as many images: a half as wide interval.
    double[] spirals = {0.9, 0.6, 0.4, 0.8};
    double[] others = {0.5, 0.1, 0.7, 0.3};
    AucEstimate small = RealSample.auc(scores(true, spirals), scores(false, others), 0);
    AucEstimate large = RealSample.auc(scores(true, repeat(spirals, 4)), scores(false, repeat(others, 4)), 0);
    assertEquals(small.value(), large.value(), 1e-12);
    assertEquals(0.5, large.standardError() / small.standardError(), 0.06);
  }

  private static double[] repeat(double[] x, int times) {
    return IntStream.range(0, x.length * times).mapToDouble(i -> x[i % x.length]).toArray();
  }
}
