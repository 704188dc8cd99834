package org.gzpipelines.mergers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.gzpipelines.taxonomy.Answer;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;

/**
 * Asks whether the test images look like the validation split the merger criterion was calibrated
 * on: a two-sample Kolmogorov-Smirnov test per quantity (each predicted answer, and the {@link
 * ImageStatistics}), with Holm's step-down correction for testing many quantities at once. KS needs
 * no assumption about the shape of the distributions, and is sensitive to a shift of the whole
 * distribution as well as to a change of its spread. Holm keeps the chance of any false alarm at
 * {@code alpha} and is never less powerful than Bonferroni.
 *
 * <p>Both sides are seeded samples of at most {@code maxGalaxies} ({@link ShiftSample}): memory stays
 * bounded, and with several thousand galaxies a side the test already sees a shift of a few per
 * cent in any distribution, while a negligible one in a huge sample is not called a shift.
 */
public final class DomainShiftCheck {

  /** One compared quantity: a short key (an answer id, or {@code image.*}) and what it is. */
  public record Quantity(String key, String description) {}

  /** The predicted answers, in taxonomy order (the order of a prediction's values). */
  static final List<Quantity> ANSWERS = GalaxyZooTaxonomy.answers().stream()
      .map((Answer a) -> new Quantity(a.id(), "predicted " + a.name())).toList();

  private final double alpha;
  private final int maxGalaxies;
  private final long seed;

  public DomainShiftCheck(double alpha, int maxGalaxies, long seed) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
    }
    this.alpha = alpha;
    this.maxGalaxies = maxGalaxies;
    this.seed = seed;
  }

  /**
   * Compares the test and validation outputs of a mergers pipeline run into {@code out}; empty when
   * a side has fewer than two galaxies (no test can say anything then).
   */
  Optional<DomainShift> check(Path out) {
    ShiftSample valAnswers = ShiftSample.predictions(out.resolve(MergersPipeline.VAL_PREDICTIONS), maxGalaxies, seed);
    ShiftSample testAnswers = ShiftSample.predictions(out.resolve(MergersPipeline.TEST_PREDICTIONS), maxGalaxies, seed);
    ShiftSample valImages = ShiftSample.imageStatistics(out.resolve(MergersPipeline.VAL_IMAGE_STATISTICS), maxGalaxies, seed);
    ShiftSample testImages = ShiftSample.imageStatistics(out.resolve(MergersPipeline.TEST_IMAGE_STATISTICS), maxGalaxies, seed);
    if (Math.min(valAnswers.size(), testAnswers.size()) < 2 || Math.min(valImages.size(), testImages.size()) < 2) {
      return Optional.empty();
    }
    List<Quantity> quantities = new ArrayList<>(ANSWERS);
    quantities.addAll(ImageStatistics.QUANTITIES);
    List<double[]> validation = new ArrayList<>();
    List<double[]> test = new ArrayList<>();
    for (int j = 0; j < ANSWERS.size(); j++) {
      validation.add(valAnswers.column(j));
      test.add(testAnswers.column(j));
    }
    for (int j = 0; j < ImageStatistics.QUANTITIES.size(); j++) {
      validation.add(valImages.column(j));
      test.add(testImages.column(j));
    }
    return Optional.of(compare(quantities, validation, test));
  }

  /** Tests each quantity's validation values against its test values. */
  public DomainShift compare(List<Quantity> quantities, List<double[]> validation, List<double[]> test) {
    int m = quantities.size();
    KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest();
    double[] d = new double[m];
    double[] p = new double[m];
    for (int j = 0; j < m; j++) {
      d[j] = ks.kolmogorovSmirnovStatistic(validation.get(j), test.get(j));
      p[j] = ks.kolmogorovSmirnovTest(validation.get(j), test.get(j));
    }
    double[] adjusted = holm(p);
    List<DomainShift.Comparison> out = new ArrayList<>();
    for (int j = 0; j < m; j++) {
      Quantity q = quantities.get(j);
      out.add(new DomainShift.Comparison(q.key(), q.description(), d[j], p[j], adjusted[j], adjusted[j] < alpha));
    }
    return new DomainShift(alpha, validation.get(0).length, test.get(0).length, out);
  }

  /**
   * Holm-adjusted p-values: the k-th smallest p-value times (m - k + 1), made monotone, at most 1.
   * (Commons Math has no multiple-testing correction; this is the textbook definition.)
   */
  static double[] holm(double[] p) {
    int m = p.length;
    Integer[] order = IntStream.range(0, m).boxed().sorted(Comparator.comparingDouble(i -> p[i])).toArray(Integer[]::new);
    double[] adjusted = new double[m];
    double running = 0;
    for (int k = 0; k < m; k++) {
      running = Math.max(running, Math.min(1, (m - k) * p[order[k]]));
      adjusted[order[k]] = running;
    }
    return adjusted;
  }
}
