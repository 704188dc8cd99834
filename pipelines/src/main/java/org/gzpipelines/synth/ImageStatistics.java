package org.gzpipelines.synth;

import java.awt.image.BufferedImage;

/**
 * The statistics that tell a synthetic cutout from a real SDSS one, measured the same way on both
 * (8-bit JPEG pixels as Galaxy Zoo ships them, centred galaxy): sky level and noise from the
 * corners, the central galaxy's half- and 90%-light radius from its curve of growth, its central
 * surface brightness, its colour (red/blue) in the centre and in the outskirts, and the other
 * sources in the frame (neighbours and stars outside the central galaxy).
 *
 * <p>Written by hand because no library we use measures astronomical cutouts; the definitions are
 * deliberately simple (circular apertures around the frame centre, a robust sky) so that the same
 * code applied to both sets compares like with like.
 *
 * @param skyLevel median grey level of the four corner patches
 * @param skyNoise robust standard deviation (1.4826 x MAD) of the corner pixels
 * @param inputSkyNoise the same of the corners' 3x3-pixel means: the sky noise at the model's
 *     input, which ingest area-averages 3x3 pixels into one. White noise drops to a third there;
 *     the correlated noise of real cutouts (enlarged SDSS frames) hardly drops at all
 * @param halfLightRadius radius (px) enclosing half of the central galaxy's light
 * @param r90 radius (px) enclosing 90% of it
 * @param concentration r80 / r20 of the same curve of growth: how much more concentrated an
 *     elliptical is than a disk, after the asinh stretch has flattened the bright cores
 * @param asymmetry the light's 180-degree asymmetry about the frame centre within 2 half-light
 *     radii, sum |I - I rotated| / (2 sum |I|) of the sky-subtracted grey levels
 * @param centralBrightness mean sky-subtracted grey level within 3 px of the centre
 * @param centreRedBlue sky-subtracted red / blue within the half-light radius / 3
 * @param outerRedBlue sky-subtracted red / blue between the half-light radius and r90
 * @param sources compact or extended sources above 5 sigma outside the central galaxy
 */
public record ImageStatistics(double skyLevel, double skyNoise, double inputSkyNoise, double halfLightRadius,
    double r90, double concentration, double asymmetry, double centralBrightness, double centreRedBlue,
    double outerRedBlue, int sources) {

  /** Side of each corner patch, as a fraction of the frame. */
  private static final double CORNER = 0.1;
  /** Largest aperture of the curve of growth, as a fraction of the frame: the galaxy, not its neighbours. */
  private static final double MAX_APERTURE = 0.3;
  /** A source is this many sky sigmas above the sky, over at least {@link #MIN_SOURCE_PIXELS}. */
  private static final double DETECTION_SIGMA = 5;
  private static final int MIN_SOURCE_PIXELS = 6;
  /** Pixels per side that ingest averages into one input pixel (207 to 69). */
  private static final int INPUT_BIN = 3;

  /** The statistic names, in record order, for tables and figures. */
  public static final String[] NAMES = {"sky level", "sky noise", "sky noise (3x3 mean)", "half-light radius (px)",
      "r90 (px)", "concentration (r80/r20)", "asymmetry", "central brightness", "centre red/blue", "outer red/blue",
      "other sources"};

  public double[] values() {
    return new double[] {skyLevel, skyNoise, inputSkyNoise, halfLightRadius, r90, concentration, asymmetry,
        centralBrightness, centreRedBlue, outerRedBlue, sources};
  }

  /** Measures one RGB image (any size; lengths are in its pixels). */
  public static ImageStatistics of(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    double[][] rgb = new double[3][w * h];
    double[] grey = new double[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = image.getRGB(x, y);
        int i = y * w + x;
        rgb[0][i] = (p >> 16) & 0xff;
        rgb[1][i] = (p >> 8) & 0xff;
        rgb[2][i] = p & 0xff;
        grey[i] = (rgb[0][i] + rgb[1][i] + rgb[2][i]) / 3;
      }
    }
    int c = Math.max(4, (int) (CORNER * Math.min(w, h)));
    CornerSky corners = CornerSky.of(grey, w, h, c);
    double sky = corners.level();
    double noise = corners.noise();
    double inputNoise = CornerSky.of(binned(grey, w, h, INPUT_BIN), w / INPUT_BIN, h / INPUT_BIN, c / INPUT_BIN).noise();
    double[] skyRgb = new double[3];
    for (int k = 0; k < 3; k++) {
      skyRgb[k] = CornerSky.level(rgb[k], w, h, c);
    }

    double cx = (w - 1) / 2.0;
    double cy = (h - 1) / 2.0;
    int maxR = (int) (MAX_APERTURE * Math.min(w, h));
    double[] growth = new double[maxR + 1]; // light within radius r (sky subtracted)
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = (int) Math.round(Math.hypot(x - cx, y - cy));
        if (r <= maxR) {
          growth[r] += grey[y * w + x] - sky;
        }
      }
    }
    for (int r = 1; r <= maxR; r++) {
      growth[r] += growth[r - 1];
    }
    double total = growth[maxR];
    double half = radiusEnclosing(growth, 0.5 * total);
    double r90 = radiusEnclosing(growth, 0.9 * total);
    double concentration = radiusEnclosing(growth, 0.8 * total) / Math.max(1, radiusEnclosing(growth, 0.2 * total));
    double asymmetry = asymmetry(grey, w, h, sky, 2 * Math.max(half, 2));

    double central = annulusMean(grey, w, h, cx, cy, 0, 3) - sky;
    double centreRb = colour(rgb, skyRgb, w, h, cx, cy, 0, Math.max(2, half / 3));
    double outerRb = colour(rgb, skyRgb, w, h, cx, cy, half, Math.max(half + 2, r90));
    int sources = sources(grey, w, h, sky + DETECTION_SIGMA * Math.max(noise, 1), Math.max(r90, half * 2), cx, cy);
    return new ImageStatistics(sky, noise, inputNoise, half, r90, concentration, asymmetry, central, centreRb, outerRb, sources);
  }


  /** 180-degree asymmetry of the sky-subtracted light within {@code radius} of the frame centre. */
  private static double asymmetry(double[] grey, int w, int h, double sky, double radius) {
    double difference = 0;
    double light = 0;
    double cx = (w - 1) / 2.0;
    double cy = (h - 1) / 2.0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (Math.hypot(x - cx, y - cy) <= radius) {
          double v = grey[y * w + x] - sky;
          difference += Math.abs(v - (grey[(h - 1 - y) * w + (w - 1 - x)] - sky));
          light += Math.abs(v);
        }
      }
    }
    return light == 0 ? Double.NaN : difference / (2 * light);
  }

  /** Means of {@code bin} x {@code bin} blocks of a row-major image (the last partial row and column dropped). */
  private static double[] binned(double[] v, int w, int h, int bin) {
    int bw = w / bin;
    int bh = h / bin;
    double[] out = new double[bw * bh];
    for (int y = 0; y < bh * bin; y++) {
      for (int x = 0; x < bw * bin; x++) {
        out[(y / bin) * bw + x / bin] += v[y * w + x] / (bin * bin);
      }
    }
    return out;
  }

  private static double radiusEnclosing(double[] growth, double light) {
    for (int r = 0; r < growth.length; r++) {
      if (growth[r] >= light) {
        return r;
      }
    }
    return growth.length - 1;
  }

  private static double annulusMean(double[] v, int w, int h, double cx, double cy, double r0, double r1) {
    double sum = 0;
    int n = 0;
    for (int y = Math.max(0, (int) (cy - r1)); y <= Math.min(h - 1, (int) (cy + r1) + 1); y++) {
      for (int x = Math.max(0, (int) (cx - r1)); x <= Math.min(w - 1, (int) (cx + r1) + 1); x++) {
        double r = Math.hypot(x - cx, y - cy);
        if (r >= r0 && r <= r1) {
          sum += v[y * w + x];
          n++;
        }
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** Sky-subtracted red / blue in an annulus; NaN where the blue light is not above the sky. */
  private static double colour(double[][] rgb, double[] sky, int w, int h, double cx, double cy, double r0, double r1) {
    double red = annulusMean(rgb[0], w, h, cx, cy, r0, r1) - sky[0];
    double blue = annulusMean(rgb[2], w, h, cx, cy, r0, r1) - sky[2];
    return blue > 0.5 ? red / blue : Double.NaN;
  }

  /** Connected groups (4-neighbour) of pixels above {@code threshold} lying outside {@code exclude} px of the centre. */
  private static int sources(double[] grey, int w, int h, double threshold, double exclude, double cx, double cy) {
    boolean[] seen = new boolean[w * h];
    int[] stack = new int[w * h];
    int count = 0;
    for (int start = 0; start < w * h; start++) {
      if (seen[start] || grey[start] <= threshold) {
        continue;
      }
      int top = 0;
      stack[top++] = start;
      seen[start] = true;
      int pixels = 0;
      boolean central = false;
      while (top > 0) {
        int i = stack[--top];
        pixels++;
        int x = i % w;
        int y = i / w;
        central |= Math.hypot(x - cx, y - cy) < exclude;
        for (int j : new int[] {x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w : -1, y < h - 1 ? i + w : -1}) {
          if (j >= 0 && !seen[j] && grey[j] > threshold) {
            seen[j] = true;
            stack[top++] = j;
          }
        }
      }
      if (pixels >= MIN_SOURCE_PIXELS && !central) {
        count++;
      }
    }
    return count;
  }

}
