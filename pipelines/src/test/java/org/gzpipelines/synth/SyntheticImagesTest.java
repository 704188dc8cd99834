package org.gzpipelines.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the pixels of Kaggle-sized (424x424) synthetic images. */
class SyntheticImagesTest {

  @TempDir static Path dir;
  private static SyntheticDataset.Result dataset;

  @BeforeAll
  static void generate() throws IOException {
    dataset = SyntheticDataset.generate(SynthOptions.defaults().withCount(150).withMergerFraction(0.1).withSeed(7),
        dir);
  }

  @Test
  void imagesDecodeAs424By424Rgb() throws IOException {
    for (SyntheticGalaxy g : dataset.truth().training().galaxies()) {
      BufferedImage image = ImageIO.read(dataset.imagesDir().resolve(g.galaxyId() + ".jpg").toFile());
      assertEquals(424, image.getWidth());
      assertEquals(424, image.getHeight());
      assertEquals(3, image.getRaster().getNumBands(), "RGB, no alpha");
      assertEquals(3, image.getColorModel().getNumColorComponents());
    }
  }

  @Test
  void nonMergersAreCentredAndTheSkyIsDarkAndNoisy() throws IOException {
    List<Double> offsets = new ArrayList<>();
    for (SyntheticGalaxy g : dataset.truth().training().galaxies()) {
      BufferedImage image = ImageIO.read(dataset.imagesDir().resolve(g.galaxyId() + ".jpg").toFile());
      double[] sky = skyLevelAndNoise(image.getRaster());
      assertTrue(sky[0] < 20, "dark sky: level " + sky[0] + " in " + g.galaxyId());
      assertTrue(sky[1] > 1 && sky[1] < 10, "noisy sky: sd " + sky[1] + " in " + g.galaxyId());
      if (!g.merger()) {
        double[] c = centroid(image.getRaster(), sky[0] + 3 * sky[1]);
        offsets.add(Math.hypot(c[0] - 212, c[1] - 212));
      }
    }
    assertTrue(offsets.size() > 100);
    // The renderer centres each galaxy's light within a quarter of the frame, then moves it off the
    // centre by up to 2.5 px per axis as Kaggle's catalogue-centred cutouts are (a median of about
    // 1.4 px); measured in the smaller aperture below, one-armed or lopsided disks may sit a few
    // pixels further out, so the test bounds the typical and the nearly-worst offset.
    offsets.sort(null);
    double median = offsets.get(offsets.size() / 2);
    double p95 = offsets.get((int) (0.95 * (offsets.size() - 1)));
    assertTrue(median <= 2, "median centroid offset " + median + " px");
    assertTrue(p95 <= 4.5, "95th percentile centroid offset " + p95 + " px; all: " + offsets);
  }

  /** Median and a robust standard deviation of one channel sum over the frame's border (sky). */
  private static double[] skyLevelAndNoise(Raster raster) {
    int n = raster.getWidth();
    double[] values = new double[4 * 20 * n];
    int k = 0;
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        if (x < 20 || y < 20 || x >= n - 20 || y >= n - 20) {
          if (k < values.length) {
            values[k++] = intensity(raster, x, y);
          }
        }
      }
    }
    double[] v = Arrays.copyOf(values, k);
    Arrays.sort(v);
    double median = v[k / 2];
    double iqr = v[3 * k / 4] - v[k / 4];
    return new double[] {median, iqr / 1.349};
  }

  /**
   * Flux-weighted centroid (in pixel-centre coordinates) of the sky-subtracted light above
   * {@code threshold} within the central 0.09-frame radius: field stars and neighbours are placed
   * beyond 0.12 of the frame (real cutouts have them inside the crop too), never here.
   */
  private static double[] centroid(Raster raster, double threshold) {
    int n = raster.getWidth();
    double radius = 0.09 * n;
    double sum = 0;
    double sx = 0;
    double sy = 0;
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        double cx = x + 0.5 - n / 2.0;
        double cy = y + 0.5 - n / 2.0;
        if (cx * cx + cy * cy > radius * radius) {
          continue;
        }
        double w = intensity(raster, x, y) - threshold;
        if (w > 0) {
          sum += w;
          sx += w * (x + 0.5);
          sy += w * (y + 0.5);
        }
      }
    }
    return new double[] {sx / sum, sy / sum};
  }

  private static double intensity(Raster raster, int x, int y) {
    return (raster.getSample(x, y, 0) + raster.getSample(x, y, 1) + raster.getSample(x, y, 2)) / 3.0;
  }
}
