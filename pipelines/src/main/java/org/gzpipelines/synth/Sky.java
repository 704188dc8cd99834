package org.gzpipelines.synth;

import java.util.SplittableRandom;

/**
 * One cutout's sky: its pedestal per channel (8-bit levels after the stretch), its noise (in the
 * units of the canvas's light buffers, where 1 is about 3 grey levels after the stretch) and the
 * grain of that noise (a tile of {@link SkyGrain}). Real Kaggle cutouts differ from frame to frame
 * (corners of 1,400 real images, median and 16-84%: pedestal R 4 (3-6), G 4 (3-5), B 2 (1-3);
 * noise 3.0 (2.5-4.5) grey levels), so each synthetic galaxy draws its sky from that range.
 */
record Sky(float red, float green, float blue, float noise, int grain) {

  // Pedestals and noises below are before JPEG compression: chosen so that the written JPEGs measure
  // like the real ones (gz synth --compare-real). The grain survives the compression; white noise
  // lost most of its amplitude to it and needed twice these levels.
  private static final float[][] PEDESTALS = {{1.5f, 2.0f, -1.0f}, {2.5f, 3.0f, -0.5f}, {3.5f, 3.7f, 0.1f},
      {4.5f, 4.5f, 0.7f}};
  private static final float[] NOISES = {0.6f, 0.71f, 0.84f, 1.0f, 1.26f};
  /** How often each noise level is drawn: most real skies are near the median, a tail is noisier. */
  private static final double[] NOISE_WEIGHTS = {0.2, 0.35, 0.2, 0.15, 0.1};

  static Sky draw(SplittableRandom r) {
    float[] p = PEDESTALS[r.nextInt(PEDESTALS.length)];
    double u = r.nextDouble();
    int n = 0;
    while (n < NOISES.length - 1 && (u -= NOISE_WEIGHTS[n]) > 0) {
      n++;
    }
    return new Sky(p[0], p[1], p[2], NOISES[n], r.nextInt(SkyGrain.SIGMAS.length));
  }
}
