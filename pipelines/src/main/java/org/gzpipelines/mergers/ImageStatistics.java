package org.gzpipelines.mergers;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.synth.CornerSky;

/**
 * Three numbers of a stored image (the model's input) that move first when the images come from
 * another instrument, survey or generator: the mean brightness, and the sky's level and noise
 * measured in the four corners, which hold sky in a centred galaxy cutout ({@link CornerSky}, the
 * same robust estimate as the realism comparison's).
 *
 * @param brightness mean grey level of the whole image (0-255)
 * @param skyLevel median grey level of the corner pixels
 * @param skyNoise robust standard deviation of the corner pixels
 */
public record ImageStatistics(long galaxyId, double brightness, double skyLevel, double skyNoise) {

  /** The compared quantities, in the order of {@link #values()}. */
  static final List<DomainShiftCheck.Quantity> QUANTITIES = List.of(
      new DomainShiftCheck.Quantity("image.brightness", "mean brightness of the stored image"),
      new DomainShiftCheck.Quantity("image.sky-level", "sky level (median of the corners)"),
      new DomainShiftCheck.Quantity("image.sky-noise", "sky noise (robust spread of the corners)"));

  /** The CSV line of {@code galaxy}'s statistics, as the domain-shift check reads it ({@link ShiftSample}). */
  public static String line(Galaxy galaxy) {
    return of(galaxy).csv();
  }

  static ImageStatistics of(Galaxy g) {
    int h = g.getHeight();
    int w = g.getWidth();
    int c = g.getChannels();
    ByteBuffer px = g.getPixels().duplicate();
    int base = px.position();
    double[] grey = new double[h * w];
    double sum = 0;
    for (int i = 0; i < grey.length; i++) {
      for (int ch = 0; ch < c; ch++) {
        grey[i] += px.get(base + i * c + ch) & 0xff;
      }
      grey[i] /= c;
      sum += grey[i];
    }
    int corner = Math.max(1, Math.min(h, w) / 8); // a side of at most 1/8 never overlaps another corner
    CornerSky sky = CornerSky.of(grey, w, h, corner);
    return new ImageStatistics(g.getGalaxyId(), sum / grey.length, sky.level(), sky.noise());
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
