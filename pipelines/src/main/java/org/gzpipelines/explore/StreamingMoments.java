package org.gzpipelines.explore;

import java.io.Serializable;

/**
 * One variable's count, mean, second to fourth central moments, zero count, range and a
 * fixed-bin histogram, updated one value at a time and mergeable: O(bins) state whatever the
 * number of values.
 *
 * <p>Hand-written because Beam only ships mean/sum/count combiners. Updates follow Welford /
 * Terriberry's online formulas and merges Pébay (2008, SAND2008-6212, eqs. 2.1-2.3), which stay
 * accurate where the textbook power sums cancel.
 */
public final class StreamingMoments implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double lo;
  private final double hi;
  private final long[] histogram;
  private long count;
  private double mean;
  private double m2;
  private double m3;
  private double m4;
  private long zeros;
  private long below;
  private long above;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;

  /** Moments, zeros and range only (no histogram, no median). */
  public static StreamingMoments withoutHistogram() {
    return new StreamingMoments(0, 1, 0);
  }

  /** A histogram of {@code bins} equal bins over [lo, hi]; values outside are counted apart. */
  public StreamingMoments(double lo, double hi, int bins) {
    if (!(hi > lo) || bins < 0) {
      throw new IllegalArgumentException("need hi > lo and bins >= 0 (0: no histogram), got [" + lo + ", " + hi + "], " + bins);
    }
    this.lo = lo;
    this.hi = hi;
    this.histogram = new long[bins];
  }

  public void add(double x) {
    long n1 = count;
    count++;
    double n = count;
    double delta = x - mean;
    double deltaN = delta / n;
    double deltaN2 = deltaN * deltaN;
    double term1 = delta * deltaN * n1;
    mean += deltaN;
    m4 += term1 * deltaN2 * (n * n - 3 * n + 3) + 6 * deltaN2 * m2 - 4 * deltaN * m3;
    m3 += term1 * deltaN * (n - 2) - 3 * deltaN * m2;
    m2 += term1;
    if (x == 0) {
      zeros++;
    }
    min = Math.min(min, x);
    max = Math.max(max, x);
    if (histogram.length == 0) {
      return;
    } else if (x < lo) {
      below++;
    } else if (x > hi) {
      above++;
    } else {
      int bin = (int) ((x - lo) / (hi - lo) * histogram.length);
      histogram[Math.min(bin, histogram.length - 1)]++;
    }
  }

  public void merge(StreamingMoments o) {
    if (o.lo != lo || o.hi != hi || o.histogram.length != histogram.length) {
      throw new IllegalArgumentException("cannot merge histograms with different bins");
    }
    if (o.count == 0) {
      return;
    }
    double na = count;
    double nb = o.count;
    double n = na + nb;
    double delta = o.mean - mean;
    double d2 = delta * delta;
    double d3 = d2 * delta;
    double d4 = d2 * d2;
    double newM4 = m4 + o.m4
        + d4 * na * nb * (na * na - na * nb + nb * nb) / (n * n * n)
        + 6 * d2 * (na * na * o.m2 + nb * nb * m2) / (n * n)
        + 4 * delta * (na * o.m3 - nb * m3) / n;
    double newM3 = m3 + o.m3
        + d3 * na * nb * (na - nb) / (n * n)
        + 3 * delta * (na * o.m2 - nb * m2) / n;
    m2 = m2 + o.m2 + d2 * na * nb / n;
    m3 = newM3;
    m4 = newM4;
    mean += delta * nb / n;
    count += o.count;
    zeros += o.zeros;
    below += o.below;
    above += o.above;
    min = Math.min(min, o.min);
    max = Math.max(max, o.max);
    for (int i = 0; i < histogram.length; i++) {
      histogram[i] += o.histogram[i];
    }
  }

  public long count() {
    return count;
  }

  public double mean() {
    return count == 0 ? Double.NaN : mean;
  }

  /** Sample variance (n - 1). */
  public double variance() {
    return count < 2 ? Double.NaN : m2 / (count - 1);
  }

  /** Population skewness g1 = sqrt(n) m3 / m2^1.5. */
  public double skewness() {
    return m2 > 0 ? Math.sqrt(count) * m3 / Math.pow(m2, 1.5) : Double.NaN;
  }

  /** Population excess kurtosis g2 = n m4 / m2^2 - 3. */
  public double excessKurtosis() {
    return m2 > 0 ? count * m4 / (m2 * m2) - 3 : Double.NaN;
  }

  /**
   * Sarle's bimodality coefficient from the sample-adjusted skewness and kurtosis: (G1^2 + 1) /
   * (G2 + 3 (n-1)^2 / ((n-2)(n-3))). The uniform distribution gives 5/9; values above suggest
   * two modes (or, for labels piled up at 0, a strongly one-sided shape).
   */
  public double bimodalityCoefficient() {
    double n = count;
    if (n < 4 || !(m2 > 0)) {
      return Double.NaN;
    }
    double g1 = skewness() * Math.sqrt(n * (n - 1)) / (n - 2);
    double g2 = (n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * excessKurtosis() + 6);
    return (g1 * g1 + 1) / (g2 + 3 * (n - 1) * (n - 1) / ((n - 2) * (n - 3)));
  }

  public double zeroFraction() {
    return count == 0 ? Double.NaN : (double) zeros / count;
  }

  public double min() {
    return min;
  }

  public double max() {
    return max;
  }

  public long outOfRange() {
    return below + above;
  }

  /**
   * The median interpolated linearly inside the histogram bin where the cumulative count passes
   * n/2: exact to within one bin width, (hi - lo) / bins. An exact median would need every value.
   */
  public double median() {
    if (count == 0 || histogram.length == 0) {
      return Double.NaN;
    }
    double half = count / 2.0;
    double cumulative = below;
    if (cumulative >= half) {
      return lo;
    }
    double width = (hi - lo) / histogram.length;
    for (int i = 0; i < histogram.length; i++) {
      if (cumulative + histogram[i] >= half) {
        double within = (half - cumulative) / histogram[i];
        return lo + (i + within) * width;
      }
      cumulative += histogram[i];
    }
    return hi;
  }

  /**
   * The histogram regrouped into {@code bins} coarser bins (which must divide the fine bin count),
   * as fractions of all values (so in-range bins sum to 1 when nothing falls outside).
   */
  public double[] fractions(int bins) {
    if (histogram.length % bins != 0) {
      throw new IllegalArgumentException(bins + " does not divide " + histogram.length);
    }
    int group = histogram.length / bins;
    double[] out = new double[bins];
    for (int i = 0; i < histogram.length; i++) {
      out[i / group] += count == 0 ? 0 : (double) histogram[i] / count;
    }
    return out;
  }
}
