package org.gzpipelines.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NumbersTest {

  @Test
  void significantDigitsWithoutTrailingZeros() {
    assertEquals("3", Numbers.significant(3.0, 2));
    assertEquals("0.5", Numbers.significant(0.5, 2));
    assertEquals("0.042", Numbers.significant(0.04234, 2));
    assertEquals("0.13", Numbers.significant(0.125, 2), "decimal half-up, as written");
    assertEquals("37.8", Numbers.significant(37.77, 3));
    assertEquals("1200", Numbers.significant(1234, 2));
    assertEquals("5.2E-8", Numbers.significant(5.2e-8, 2), "float rounding in the notation of the figure ticks");
    assertEquals("0", Numbers.significant(0, 2));
    assertEquals("n/a", Numbers.significant(Double.NaN, 2));
  }

  @Test
  void percentagesKeepTwoSignificantDigitsButNeverRoundToAll() {
    assertEquals("4.2%", Numbers.percent(0.0423));
    assertEquals("50%", Numbers.percent(0.5));
    assertEquals("100%", Numbers.percent(1.0));
    assertEquals("0.61%", Numbers.percent(0.0061));
    assertEquals("99.996%", Numbers.percent(0.99996));
    assertEquals("0%", Numbers.percent(0));
  }

  @Test
  void fixedAndSignedNeverShowMinusZero() {
    assertEquals("0.000", Numbers.fixed(-0.0002, 3));
    assertEquals("0.000", Numbers.signed(-0.0002, 3));
    assertEquals("+0.044", Numbers.signed(0.0441, 3));
    assertEquals("-0.064", Numbers.signed(-0.0641, 3));
    assertEquals("0.000", Numbers.signed(0.0002, 3));
  }

  @Test
  void aValueAndItsIntervalShareThePrecisionOfTheIntervalsWidth() {
    // Half-width 1.7 points: two significant digits of it, one decimal.
    assertEquals("4.2% (2.8%-6.1%)", Numbers.percentInterval(0.0423, 0.0281, 0.0612).toString());
    // Half-width 4 points: one significant digit, whole percent.
    assertEquals("12% (8%-16%)", Numbers.percentInterval(0.12, 0.08, 0.16).toString());
    // Half-width 0.8 points: one decimal.
    assertEquals("50.0% (49.2%-50.8%)", Numbers.percentInterval(0.5, 0.492, 0.508).toString());
    assertEquals("0.4 (0.2-1.0)", Numbers.interval(0.4, 0.2, 1.0).toString());
    assertEquals("0.13 (0.05-0.25)", Numbers.interval(0.125, 0.05, 0.25).toString());
    // No width (a known value): its own two significant digits.
    assertEquals("5.0%", Numbers.percentInterval(0.05, 0.05, 0.05).value());
    assertEquals("n/a (n/a-n/a)", Numbers.percentInterval(Double.NaN, Double.NaN, Double.NaN).toString());
  }
}
