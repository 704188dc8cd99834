package org.gzpipelines.mergers;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.gzpipelines.schemas.Galaxy;

/**
 * Three numbers of a stored image (the model's input) that move first when the images come from
 * another instrument, survey or generator: the mean brightness, and the sky's level and noise
 * measured in the four corners, which hold sky in a centred galaxy cutout. Robust estimates (median,
 * 1.4826 x median absolute deviation), so a star or neighbour in one corner does not decide them.
 *
 * @param brightness mean grey level of the whole image (0-255)
 * @param skyLevel median grey level of the corner pixels
 * @param skyNoise robust standard deviation of the corner pixels
 */
record ImageStatistics(long galaxyId, double brightness, double skyLevel, double skyNoise) {

  /** The compared quantities, in the order of {@link #values()}. */
  static final List<DomainShiftCheck.Quantity> QUANTITIES = List.of(
      new DomainShiftCheck.Quantity("image.brightness", "mean brightness of the stored image"),
      new DomainShiftCheck.Quantity("image.sky-level", "sky level (median of the corners)"),
      new DomainShiftCheck.Quantity("image.sky-noise", "sky noise (robust spread of the corners)"));

  /** Scale of the median absolute deviation that makes it the standard deviation of Gaussian noise. */
  private static final double MAD_TO_SIGMA = 1.4826;

  static ImageStatistics of(Galaxy g) {
    int h = g.getHeight();
    int w = g.getWidth();
    int c = g.getChannels();
    ByteBuffer px = g.getPixels().duplicate();
    int base = px.position();
    int corner = Math.max(1, Math.min(h, w) / 8); // a side of at most 1/8 never overlaps another corner
    double[] sky = new double[4 * corner * corner];
    int k = 0;
    double sum = 0;
    for (int y = 0; y < h; y++) {
      boolean skyRow = y < corner || y >= h - corner;
      for (int x = 0; x < w; x++) {
        double grey = 0;
        for (int ch = 0; ch < c; ch++) {
          grey += px.get(base + (y * w + x) * c + ch) & 0xff;
        }
        grey /= c;
        sum += grey;
        if (skyRow && (x < corner || x >= w - corner)) {
          sky[k++] = grey;
        }
      }
    }
    Median median = new Median();
    double level = median.evaluate(sky);
    double[] deviation = new double[sky.length];
    for (int i = 0; i < sky.length; i++) {
      deviation[i] = Math.abs(sky[i] - level);
    }
    return new ImageStatistics(g.getGalaxyId(), sum / ((double) h * w), level, MAD_TO_SIGMA * median.evaluate(deviation));
  }

  double[] values() {
    return new double[] {brightness, skyLevel, skyNoise};
  }

  /** One line of the statistics files the pipeline writes. */
  String csv() {
    return String.format(Locale.ROOT, "%d,%.4f,%.4f,%.4f", galaxyId, brightness, skyLevel, skyNoise);
  }

  static ImageStatistics parse(String line) {
    String[] f = line.split(",");
    return new ImageStatistics(Long.parseLong(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
        Double.parseDouble(f[3]));
  }
}
