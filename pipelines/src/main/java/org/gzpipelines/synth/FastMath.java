package org.gzpipelines.synth;

/**
 * Table-driven and polynomial stand-ins for exp, log and atan2 in the per-pixel
 * loops. Hand-written because rendering 10,000 images must take seconds, and because tables built
 * with {@link StrictMath} give the same bytes on every JVM, where {@link Math} intrinsics may not.
 */
final class FastMath {

  private static final int EXP_STEPS_PER_UNIT = 256;
  private static final double EXP_LIMIT = 18;
  private static final float[] EXP_NEG = new float[(int) (EXP_LIMIT * EXP_STEPS_PER_UNIT) + 2];

  private static final int LOG_BITS = 10;
  private static final float[] LOG_MANTISSA = new float[(1 << LOG_BITS) + 1];
  private static final double LN2 = StrictMath.log(2);

  static {
    for (int i = 0; i < LOG_MANTISSA.length; i++) {
      LOG_MANTISSA[i] = (float) StrictMath.log(1 + (double) i / (1 << LOG_BITS));
    }
    for (int i = 0; i < EXP_NEG.length; i++) {
      EXP_NEG[i] = (float) StrictMath.exp(-(double) i / EXP_STEPS_PER_UNIT);
    }
  }

  private FastMath() {}

  /** exp(-t) for t >= 0 (linear interpolation, relative error below 1e-5); 0 beyond t = 18. */
  static double expNeg(double t) {
    if (t >= EXP_LIMIT) {
      return 0;
    }
    double x = t * EXP_STEPS_PER_UNIT;
    int i = (int) x;
    double f = x - i;
    return EXP_NEG[i] + f * (EXP_NEG[i + 1] - EXP_NEG[i]);
  }

  /** Natural log of a positive normal double to within 1e-6 (exponent bits plus a mantissa table). */
  static double log(double x) {
    long bits = Double.doubleToRawLongBits(x);
    int exponent = (int) ((bits >>> 52) & 0x7ff) - 1023;
    double m = (bits & 0xFFFFFFFFFFFFFL) * (1.0 / (1L << (52 - LOG_BITS)));
    int i = (int) m;
    double f = m - i;
    return exponent * LN2 + LOG_MANTISSA[i] + f * (LOG_MANTISSA[i + 1] - LOG_MANTISSA[i]);
  }

  /** atan2(y, x) to within 1e-5 rad (a 7th-order minimax polynomial). */
  static double atan2(double y, double x) {
    double ax = Math.abs(x);
    double ay = Math.abs(y);
    double max = Math.max(ax, ay);
    if (max == 0) {
      return 0;
    }
    double a = Math.min(ax, ay) / max;
    double s = a * a;
    double r = ((-0.0464964749 * s + 0.15931422) * s - 0.327622764) * s * a + a;
    if (ay > ax) {
      r = 1.5707963267948966 - r;
    }
    if (x < 0) {
      r = 3.141592653589793 - r;
    }
    return y < 0 ? -r : r;
  }
}
