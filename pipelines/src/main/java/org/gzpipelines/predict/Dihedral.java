package org.gzpipelines.predict;

/**
 * The 8 symmetries of a square image (the dihedral group D4: 4 rotations by 90 degrees, each with
 * or without a left-right flip), applied to uint8 HWC pixels. A galaxy's vote fractions do not
 * change under them, which is what test-time augmentation averages over.
 *
 * <p>Hand-written on the byte array (an index permutation) so it runs for any predictor, also one
 * that never builds an NDArray (the mean baseline), and costs no engine memory.
 */
final class Dihedral {

  /** Number of symmetries. */
  static final int COUNT = 8;

  private Dihedral() {}

  /**
   * Symmetry {@code k} (0..7) of a {@code size x size x channels} image: flip left-right when
   * {@code k} is odd, then rotate by {@code k / 2} quarter turns counter-clockwise. k = 0 is the
   * identity.
   */
  static byte[] apply(byte[] hwc, int size, int channels, int k) {
    if (k == 0) {
      return hwc;
    }
    boolean flip = (k & 1) == 1;
    int turns = k / 2;
    byte[] out = new byte[hwc.length];
    int last = size - 1;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        // Where pixel (x, y) lands: mirrored, then turned `turns` quarter turns.
        int rx = flip ? last - x : x;
        int ry = y;
        for (int t = 0; t < turns; t++) {
          int nx = ry;
          int ny = last - rx;
          rx = nx;
          ry = ny;
        }
        System.arraycopy(hwc, (y * size + x) * channels, out, (ry * size + rx) * channels, channels);
      }
    }
    return out;
  }
}
