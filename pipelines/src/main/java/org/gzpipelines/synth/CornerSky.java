package org.gzpipelines.synth;

import org.apache.commons.math3.stat.descriptive.rank.Median;

/**
 * The sky of a centred galaxy cutout, from its four corner squares: the median grey level and a
 * robust spread (1.4826 x the median absolute deviation, the standard deviation of Gaussian noise),
 * so a star or neighbour in one corner does not decide them. One estimate for the realism
 * comparison ({@link ImageStatistics}) and the mergers' domain-shift guard.
 *
 * @param level median grey level of the corner pixels
 * @param noise robust standard deviation of the corner pixels
 */
public record CornerSky(double level, double noise) {

  /** Scale of the median absolute deviation that makes it the standard deviation of Gaussian noise. */
  private static final double MAD_TO_SIGMA = 1.4826;

  /** The sky of a {@code w} x {@code h} row-major image of values, from corner squares of side {@code corner}. */
  public static CornerSky of(double[] values, int w, int h, int corner) {
    double[] sky = corners(values, w, h, corner);
    Median median = new Median();
    double level = median.evaluate(sky);
    double[] deviation = new double[sky.length];
    for (int i = 0; i < sky.length; i++) {
      deviation[i] = Math.abs(sky[i] - level);
    }
    return new CornerSky(level, MAD_TO_SIGMA * median.evaluate(deviation));
  }

  /** The median of the corner squares alone (e.g. of one colour channel). */
  public static double level(double[] values, int w, int h, int corner) {
    return new Median().evaluate(corners(values, w, h, corner));
  }

  private static double[] corners(double[] values, int w, int h, int c) {
    double[] out = new double[4 * c * c];
    int n = 0;
    for (int[] o : new int[][] {{0, 0}, {w - c, 0}, {0, h - c}, {w - c, h - c}}) {
      for (int y = o[1]; y < o[1] + c; y++) {
        for (int x = o[0]; x < o[0] + c; x++) {
          out[n++] = values[y * w + x];
        }
      }
    }
    return out;
  }
}
