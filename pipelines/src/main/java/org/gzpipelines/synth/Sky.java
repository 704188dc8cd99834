package org.gzpipelines.synth;

import java.util.SplittableRandom;

/**
 * One cutout's sky: its pedestal per channel (8-bit levels after the stretch) and its noise (in the
 * units of the canvas's light buffers, where 1 is about 3 grey levels after the stretch). Real
 * Kaggle cutouts differ from frame to frame (corners of 1,400 real images, median and 16-84%:
 * pedestal R 4 (3-6), G 4 (3-5), B 2 (1-3); noise 3.0 (2.5-4.5) grey levels), so each synthetic
 * galaxy draws one of a few discrete skies spanning that range: few enough that the stretched sky
 * rows of each can be precomputed ({@link Canvas}), enough that a model does not learn one sky.
 */
record Sky(float red, float green, float blue, float noise) {

  // Pedestals and noises below are before JPEG compression, which darkens and smooths the sky a
  // little: chosen so that the written JPEGs measure like the real ones.
  private static final float[][] PEDESTALS = {{-0.5f, -0.5f, -1.5f}, {0.5f, 0.5f, -1.0f}, {1.5f, 1.2f, -0.4f},
      {2.5f, 2.0f, 0.2f}};
  private static final float[] NOISES = {1.5f, 1.8f, 2.1f, 2.5f, 3.0f};
  /** How often each noise level is drawn: most real skies are near the median, a tail is noisier. */
  private static final double[] NOISE_WEIGHTS = {0.2, 0.35, 0.2, 0.15, 0.1};

  /** Every sky a galaxy can draw. */
  static final Sky[] ALL = all();

  static Sky draw(SplittableRandom r) {
    float[] p = PEDESTALS[r.nextInt(PEDESTALS.length)];
    double u = r.nextDouble();
    int n = 0;
    while (n < NOISES.length - 1 && (u -= NOISE_WEIGHTS[n]) > 0) {
      n++;
    }
    return ALL[index(p, n)];
  }

  /** This sky's place in {@link #ALL} (its precomputed rows). */
  int index() {
    for (int i = 0; i < ALL.length; i++) {
      if (ALL[i].equals(this)) {
        return i;
      }
    }
    throw new IllegalStateException("not one of the discrete skies: " + this);
  }

  private static int index(float[] pedestal, int noise) {
    for (int i = 0; i < PEDESTALS.length; i++) {
      if (PEDESTALS[i] == pedestal) {
        return i * NOISES.length + noise;
      }
    }
    throw new IllegalArgumentException();
  }

  private static Sky[] all() {
    Sky[] out = new Sky[PEDESTALS.length * NOISES.length];
    for (int i = 0; i < PEDESTALS.length; i++) {
      for (int n = 0; n < NOISES.length; n++) {
        out[i * NOISES.length + n] = new Sky(PEDESTALS[i][0], PEDESTALS[i][1], PEDESTALS[i][2], NOISES[n]);
      }
    }
    return out;
  }
}
