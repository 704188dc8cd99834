package org.gzpipelines.synth;

import java.util.function.DoubleUnaryOperator;

/**
 * A surface-brightness profile I(R) tabulated on [0, rMax] and read with linear interpolation, so
 * a Sersic profile costs a table read per pixel instead of a pow and an exp; zero beyond rMax.
 */
final class RadialProfile {

  private static final int STEPS = 1024;

  private final float[] table;
  private final double rMax;
  private final double stepsPerPixel;

  private RadialProfile(float[] table, double rMax) {
    this.table = table;
    this.rMax = rMax;
    this.stepsPerPixel = (table.length - 2) / rMax;
  }

  /** Tabulates {@code profile} (evaluated with StrictMath by the caller for reproducibility). */
  static RadialProfile of(DoubleUnaryOperator profile, double rMax) {
    float[] t = new float[STEPS + 2];
    for (int i = 0; i <= STEPS; i++) {
      t[i] = (float) profile.applyAsDouble(i * rMax / STEPS);
    }
    t[STEPS] = 0; // the profile ends at rMax: no step at the bounding radius
    return new RadialProfile(t, rMax);
  }

  /** Sersic profile with index n and half-light radius re, with I(re) = 1, out to rMax. */
  static RadialProfile sersic(double n, double re, double rMax) {
    // Ciotti & Bertin (1999) approximation of b_n, good to 1e-4 for n >= 0.36.
    double b = 2 * n - 1.0 / 3 + 4 / (405 * n) + 46 / (25515 * n * n);
    return of(r -> StrictMath.exp(-b * (StrictMath.pow(r / re, 1 / n) - 1)) * taper(r, rMax), rMax);
  }

  /** Exponential disk with scale length h, I(0) = 1, out to rMax. */
  static RadialProfile exponential(double h, double rMax) {
    return of(r -> StrictMath.exp(-r / h) * taper(r, rMax), rMax);
  }

  /** Smoothly brings a profile to 0 over the last 20% of its range, so no edge shows. */
  private static double taper(double r, double rMax) {
    double x = (r / rMax - 0.8) / 0.2;
    return x <= 0 ? 1 : x >= 1 ? 0 : 1 - x * x * (3 - 2 * x);
  }

  double rMax() {
    return rMax;
  }

  /** I(r); 0 at and beyond rMax. */
  double at(double r) {
    double x = r * stepsPerPixel;
    int i = (int) x;
    if (i >= STEPS) {
      return 0;
    }
    double f = x - i;
    return table[i] + f * (table[i + 1] - table[i]);
  }

  /** Total flux of the circular profile, 2 pi integral of I(r) r dr (an elliptical one: times q). */
  double flux() {
    double step = rMax / STEPS;
    double sum = 0;
    for (int i = 0; i < STEPS; i++) {
      double r0 = i * step;
      double r1 = r0 + step;
      sum += 0.5 * (table[i] * r0 + table[i + 1] * r1) * step;
    }
    return 2 * Math.PI * sum;
  }
}
