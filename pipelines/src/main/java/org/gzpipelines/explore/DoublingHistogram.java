package org.gzpipelines.explore;

import java.io.Serializable;

/**
 * A histogram over a symmetric range [-R, R] that widens itself: R starts at {@code r0} and
 * doubles whenever a value falls outside, the bins merging pairwise (each new bin is exactly two
 * old ones, so no count moves to a wrong bin). Two histograms merge by widening the narrower
 * one first. So one pass and O(bins) state fit any spread, from float rounding (1e-8) to O(1).
 *
 * <p>Hand-written: neither Beam nor Guava has a mergeable auto-ranging histogram.
 */
public final class DoublingHistogram implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double r0;
  private final long[] counts;
  private int doublings;
  private long nonFinite;

  /** {@code bins} must be divisible by 4, so that re-binning keeps 0 on a bin edge. */
  public DoublingHistogram(double r0, int bins) {
    if (bins % 4 != 0 || bins < 4 || !(r0 > 0)) {
      throw new IllegalArgumentException("need r0 > 0 and bins a multiple of 4, got " + r0 + ", " + bins);
    }
    this.r0 = r0;
    this.counts = new long[bins];
  }

  public double range() {
    return r0 * Math.pow(2, doublings);
  }

  public void add(double x) {
    if (!Double.isFinite(x)) {
      nonFinite++;
      return;
    }
    while (Math.abs(x) > range()) {
      widen();
    }
    int bin = (int) Math.floor((x + range()) / (2 * range()) * counts.length);
    counts[Math.min(Math.max(bin, 0), counts.length - 1)]++;
  }

  /** Doubles the range: old bins 2k and 2k+1 become bin k of the middle half. */
  private void widen() {
    int n = counts.length;
    long[] merged = new long[n];
    for (int i = 0; i < n; i++) {
      merged[n / 4 + i / 2] += counts[i];
    }
    System.arraycopy(merged, 0, counts, 0, n);
    doublings++;
  }

  public void merge(DoublingHistogram other) {
    if (other.r0 != r0 || other.counts.length != counts.length) {
      throw new IllegalArgumentException("cannot merge histograms with different bins");
    }
    while (doublings < other.doublings) {
      widen();
    }
    DoublingHistogram o = other;
    if (other.doublings < doublings) {
      o = other.copy();
      while (o.doublings < doublings) {
        o.widen();
      }
    }
    for (int i = 0; i < counts.length; i++) {
      counts[i] += o.counts[i];
    }
    nonFinite += other.nonFinite;
  }

  private DoublingHistogram copy() {
    DoublingHistogram c = new DoublingHistogram(r0, counts.length);
    System.arraycopy(counts, 0, c.counts, 0, counts.length);
    c.doublings = doublings;
    c.nonFinite = nonFinite;
    return c;
  }

  /** Fraction of all added values in each bin. */
  public double[] fractions() {
    long total = nonFinite;
    for (long c : counts) {
      total += c;
    }
    double[] out = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      out[i] = total == 0 ? 0 : (double) counts[i] / total;
    }
    return out;
  }

  public long total() {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    return total;
  }
}
