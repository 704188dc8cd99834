package org.gzpipelines.synth;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Kaggle-style 6-digit GalaxyIDs (100000-999999), unique across both sets, from the seed. */
final class GalaxyIds {

  private static final int FIRST = 100_000;
  private static final int SPAN = 900_000;

  private GalaxyIds() {}

  /**
   * {@code {training ids, test ids}}, each ascending. The id range is cut into equal buckets, one
   * id drawn in each (so they are unique), and the ids are dealt at random to the two sets so
   * that, as in Kaggle's data, training and test ids interleave.
   */
  static long[][] draw(long seed, int training, int test) {
    int total = training + test;
    SplittableRandom r = new SplittableRandom(Seeds.mix(seed, 0x1d5L));
    long[] all = new long[total];
    double width = (double) SPAN / total;
    for (int i = 0; i < total; i++) {
      long lo = (long) Math.floor(i * width);
      long hi = (long) Math.floor((i + 1) * width);
      all[i] = FIRST + lo + r.nextLong(Math.max(1, hi - lo));
    }
    for (int i = total - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      long t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    long[] a = Arrays.copyOfRange(all, 0, training);
    long[] b = Arrays.copyOfRange(all, training, total);
    Arrays.sort(a);
    Arrays.sort(b);
    return new long[][] {a, b};
  }
}
