package org.gzpipelines.synth;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What {@link SyntheticDataset#generate} makes. Start from {@link #defaults()} and change what you
 * need with the {@code with...} methods, e.g. {@code SynthOptions.defaults().withCount(100).withSize(128)}.
 *
 * @param count labelled galaxies (images in {@link #KAGGLE_IMAGES_DIR} plus rows of the labels CSV)
 * @param testCount unlabelled galaxies in {@link #KAGGLE_TEST_DIR}; 0 writes no test folder
 * @param seed master seed: the same seed and options give the same bytes
 * @param mergerFraction fraction of labelled galaxies drawn as mergers (rounded to a whole count)
 * @param testMergerFraction fraction of test galaxies drawn as mergers
 * @param noise volunteer confusion: 0 gives labels that follow the drawn truth exactly; 0.1
 *     (default) is Galaxy-Zoo-like; 1 is very noisy
 * @param archives archives to pack each image folder into ({@code <folder>.tar.gz}, {@code .zip})
 * @param size width and height of the images in pixels (Kaggle: 424); galaxies scale with it
 * @param threads worker threads; 0 means one per available processor
 */
public record SynthOptions(
    int count,
    int testCount,
    long seed,
    double mergerFraction,
    double testMergerFraction,
    double noise,
    Set<ArchiveFormat> archives,
    int size,
    // Not recorded in truth.json: the output does not depend on it.
    @JsonIgnore int threads) {

  /** Kaggle's folder and file names. */
  public static final String KAGGLE_IMAGES_DIR = "images_training_rev1";
  public static final String KAGGLE_TEST_DIR = "images_test_rev1";
  public static final String KAGGLE_LABELS_FILE = "training_solutions_rev1.csv";
  /** Smallest image size the renderer supports. */
  public static final int MIN_SIZE = 32;

  public SynthOptions {
    // EnumSet keeps enum order, so truth.json lists the archives the same way on every run.
    EnumSet<ArchiveFormat> sorted = EnumSet.noneOf(ArchiveFormat.class);
    sorted.addAll(archives);
    archives = Collections.unmodifiableSet(sorted);
  }

  /** 2,000 labelled 424x424 galaxies, no test set, seed 42, 5% mergers, noise 0.1, no archives. */
  public static SynthOptions defaults() {
    return new SynthOptions(
        2000, 0, 42L, 0.05, 0.05, 0.1, Set.of(), 424, 0);
  }

  /**
   * Checks every option and throws {@link IllegalArgumentException} naming the option and the fix.
   */
  public SynthOptions validate() {
    require(count >= 0, "--count must be 0 or more, not " + count);
    require(testCount >= 0, "--test-count must be 0 or more, not " + testCount);
    require(count + testCount > 0, "nothing to generate: give --count or --test-count above 0");
    require((long) count + testCount <= 900_000,
        "at most 900,000 galaxies fit the 6-digit GalaxyID range, not " + ((long) count + testCount));
    require(fraction(mergerFraction), "--merger-fraction must be within [0, 1], not " + mergerFraction);
    require(fraction(testMergerFraction),
        "--test-merger-fraction must be within [0, 1], not " + testMergerFraction);
    require(fraction(noise), "--noise must be within [0, 1], not " + noise);
    require(size >= MIN_SIZE && size <= 4096, "--size must be within [" + MIN_SIZE + ", 4096], not " + size);
    require(threads >= 0, "--threads must be 0 (one per core) or more, not " + threads);
    return this;
  }

  public SynthOptions withCount(int value) {
    return new SynthOptions(value, testCount, seed, mergerFraction, testMergerFraction, noise, archives, size,
        threads);
  }

  public SynthOptions withTestCount(int value) {
    return new SynthOptions(count, value, seed, mergerFraction, testMergerFraction, noise, archives, size,
        threads);
  }

  public SynthOptions withSeed(long value) {
    return new SynthOptions(count, testCount, value, mergerFraction, testMergerFraction, noise, archives, size,
        threads);
  }

  /** Sets the labelled set's merger fraction (the test set's stays as it is). */
  public SynthOptions withMergerFraction(double value) {
    return new SynthOptions(count, testCount, seed, value, testMergerFraction, noise, archives, size,
        threads);
  }

  public SynthOptions withTestMergerFraction(double value) {
    return new SynthOptions(count, testCount, seed, mergerFraction, value, noise, archives, size,
        threads);
  }

  public SynthOptions withNoise(double value) {
    return new SynthOptions(count, testCount, seed, mergerFraction, testMergerFraction, value, archives, size,
        threads);
  }

  public SynthOptions withArchives(Set<ArchiveFormat> value) {
    return new SynthOptions(count, testCount, seed, mergerFraction, testMergerFraction, noise, value, size,
        threads);
  }

  public SynthOptions withSize(int value) {
    return new SynthOptions(count, testCount, seed, mergerFraction, testMergerFraction, noise, archives, value,
        threads);
  }

  public SynthOptions withThreads(int value) {
    return new SynthOptions(count, testCount, seed, mergerFraction, testMergerFraction, noise, archives, size,
        value);
  }

  /** Threads actually used. */
  int effectiveThreads() {
    return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }

  private static boolean fraction(double v) {
    return v >= 0 && v <= 1;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
