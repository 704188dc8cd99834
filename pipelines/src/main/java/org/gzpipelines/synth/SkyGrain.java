package org.gzpipelines.synth;

import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The grain of a real cutout's noise: periodic tiles of unit-variance Gaussian noise correlated
 * over a few pixels, read at random offsets for each frame and channel.
 *
 * <p>Kaggle cutouts are SDSS frames enlarged to the galaxy's size, so their noise is not white: in
 * the corners of the real images its autocorrelation is 0.90, 0.71, 0.31 and 0.11 at lags of 1,
 * 2, 4 and 6 pixels (bench/realism-by-class.sh), like white noise blurred by a Gaussian of sigma
 * about 2 pixels. When ingest averages 3x3 pixels into the model's input, real noise keeps 87% of
 * its amplitude and the generator's former white noise (already smoothed by the JPEG) kept 59%: a
 * model trained on it met, on real images, blotches the size of spiral-arm knots that it never saw.
 * Each frame draws one of {@link #SIGMAS} because the enlargement differs from galaxy to galaxy.
 *
 * <p>Hand-written rather than taken from a library: a wrap-around Gaussian blur of a seeded
 * white-noise tile is a few lines, and it must give the same bytes on every JVM (the generator's
 * promise), which {@link StrictMath} and {@link Random} guarantee.
 */
final class SkyGrain {

  /** Blur widths (pixels of a 424-pixel frame) of the tiles: enlargements from about 1.5x to 3x. */
  static final double[] SIGMAS = {1.25, 2.0, 3.0};
  private static final int BITS = 9;
  private static final int MASK = (1 << BITS) - 1;
  private static final long SEED = 0x5eed_6a41L;
  private static final ConcurrentMap<Double, SkyGrain> BY_SCALE = new ConcurrentHashMap<>();

  private final float[][] tiles;

  private SkyGrain(double scale) {
    tiles = new float[SIGMAS.length][];
    Random random = new Random(SEED);
    for (int t = 0; t < SIGMAS.length; t++) {
      tiles[t] = blurredTile(random, SIGMAS[t] * scale);
    }
  }

  /**
   * The tiles for frames at {@code scale} times the 424-pixel reference (the grain scales with the
   * frame, as every length does); built once per scale, as each takes tens of milliseconds.
   */
  static SkyGrain forScale(double scale) {
    return BY_SCALE.computeIfAbsent(scale, SkyGrain::new);
  }

  /** Unit-variance noise of tile {@code tile} at (x, y); any int coordinates (the tile repeats). */
  float at(int tile, int x, int y) {
    return tiles[tile][((y & MASK) << BITS) | (x & MASK)];
  }

  private static float[] blurredTile(Random random, double sigma) {
    int n = 1 << BITS;
    float[] white = new float[n * n];
    for (int i = 0; i < white.length; i++) {
      white[i] = (float) random.nextGaussian();
    }
    int radius = (int) Math.ceil(3 * sigma);
    float[] w = Canvas.kernel(sigma, 0, radius);
    float[] rows = new float[n * n];
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        float s = 0;
        for (int k = -radius; k <= radius; k++) {
          s += w[k + radius] * white[y * n + ((x + k) & MASK)];
        }
        rows[y * n + x] = s;
      }
    }
    float[] tile = new float[n * n];
    double sumSquares = 0;
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        float s = 0;
        for (int k = -radius; k <= radius; k++) {
          s += w[k + radius] * rows[((y + k) & MASK) * n + x];
        }
        tile[y * n + x] = s;
        sumSquares += s * s;
      }
    }
    float unit = (float) (1 / Math.sqrt(sumSquares / tile.length));
    for (int i = 0; i < tile.length; i++) {
      tile[i] *= unit;
    }
    return tile;
  }
}
