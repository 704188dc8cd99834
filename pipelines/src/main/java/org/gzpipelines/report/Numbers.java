package org.gzpipelines.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * How reports and console text write numbers: as many digits as the number carries and no more
 * ("3 times", "0.4 Gyr", "4.2%"), and a value with an interval at the precision of the interval
 * ("4.2% (2.8%-6.1%)"), so no line claims digits its uncertainty does not support.
 */
public final class Numbers {
  /** Fractions shown as percentages keep two significant digits: 4.2%, 37%, 0.61%. */
  static final int PERCENT_DIGITS = 2;

  private Numbers() {}

  /** {@code v} rounded to {@code digits} significant digits, trailing zeros dropped: 3.0 -> "3", 0.0423 -> "0.042". */
  public static String significant(double v, int digits) {
    if (!Double.isFinite(v)) {
      return Double.isNaN(v) ? "n/a" : (v > 0 ? "∞" : "-∞");
    }
    if (v == 0) {
      return "0";
    }
    // BigDecimal rounds in decimal (0.125 -> 0.13 as written, not as the binary double happens to be).
    BigDecimal rounded = BigDecimal.valueOf(v).round(new MathContext(digits, RoundingMode.HALF_UP)).stripTrailingZeros();
    double magnitude = Math.abs(v);
    return magnitude >= 1e-4 && magnitude < 1e7 ? rounded.toPlainString() : rounded.toString().replace("E+", "E");
  }

  /**
   * A fraction as a percentage with two significant digits: 0.0423 -> "4.2%", 0.5 -> "50%", 1 ->
   * "100%". A fraction short of 1 gets the digits it takes not to read as "100%" (0.99996 ->
   * "99.996%"): "all galaxies" and "nearly all" are different findings.
   */
  public static String percent(double fraction) {
    if (Double.isNaN(fraction)) {
      return "n/a";
    }
    String shown = significant(100 * fraction, PERCENT_DIGITS);
    for (int digits = PERCENT_DIGITS + 1; fraction < 1 && shown.equals("100") && digits <= 8; digits++) {
      shown = significant(100 * fraction, digits);
    }
    return shown + "%";
  }

  /** {@code v} with exactly {@code decimals} decimals, never "-0". */
  public static String fixed(double v, int decimals) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    String s = String.format(Locale.ROOT, "%." + Math.max(0, decimals) + "f", v);
    return s.matches("-0(\\.0*)?") ? s.substring(1) : s;
  }

  /** {@code v} with a sign and exactly {@code decimals} decimals ("+0.044", "-0.006"; zero as "0.000"). */
  public static String signed(double v, int decimals) {
    String s = fixed(v, decimals);
    return v > 0 && !s.matches("0(\\.0*)?") ? "+" + s : s;
  }

  /**
   * The decimals that give {@code digits} significant digits to {@code v} (0 for 0 or a
   * non-finite value), never fewer than 0: decimals(0.042, 2) = 3, decimals(37, 2) = 0.
   */
  public static int decimals(double v, int digits) {
    if (v == 0 || !Double.isFinite(v)) {
      return 0;
    }
    int exponent = (int) Math.floor(Math.log10(Math.abs(v)));
    return Math.max(0, digits - 1 - exponent);
  }

  /**
   * The decimals at which to show a value whose interval is {@code low}-{@code high}: the
   * interval's half-width, its uncertainty, gets one significant digit, or two when it starts with
   * 1 or 2 (where rounding to one would change it by up to a quarter), the usual rule for quoting
   * an uncertainty. Without a width (a point, or an undefined bound) the value's own two
   * significant digits decide.
   */
  public static int intervalDecimals(double value, double low, double high) {
    double halfWidth = (high - low) / 2;
    if (!(halfWidth > 0) || !Double.isFinite(halfWidth)) {
      return decimals(value, 2);
    }
    int exponent = (int) Math.floor(Math.log10(halfWidth));
    double leading = halfWidth / Math.pow(10, exponent);
    return Math.max(0, (leading < 3 ? 2 : 1) - 1 - exponent);
  }

  /** A value and its interval written at one precision. */
  public record Shown(String value, String low, String high) {
    /** "low-high". */
    public String range() {
      return low + "-" + high;
    }

    /** "value (low-high)". */
    @Override
    public String toString() {
      return value + " (" + range() + ")";
    }
  }

  /** {@code value} with its interval, all at {@link #intervalDecimals}: 0.4 (0.2-1.0). */
  public static Shown interval(double value, double low, double high) {
    int d = intervalDecimals(value, low, high);
    return new Shown(fixed(value, d), fixed(low, d), fixed(high, d));
  }

  /** Fractions with their interval as percentages at the interval's precision: 4.2% (2.8%-6.1%). */
  public static Shown percentInterval(double value, double low, double high) {
    int d = intervalDecimals(100 * value, 100 * low, 100 * high);
    return new Shown(percent(value, d), percent(low, d), percent(high, d));
  }

  /** A fraction as a percentage with {@code decimals} decimals: percent(0.0423, 1) = "4.2%". */
  public static String percent(double fraction, int decimals) {
    return Double.isNaN(fraction) ? "n/a" : fixed(100 * fraction, decimals) + "%";
  }
}
