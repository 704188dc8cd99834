package org.gzpipelines.mergers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.gzpipelines.schemas.Prediction;
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
 *
 * <p>Where the test galaxies differ from validation galaxies drawn at the estimated merger fraction,
 * the check also looks for a fraction at which they do not (a scan of whole per cents): one found
 * means a wrong estimate, not images unlike the validation split.
 */
public final class DomainShiftCheck {

  /** One compared quantity: a short key (an answer id, or {@code image.*}) and what it is. */
  public record Quantity(String key, String description) {}

  /** The predicted answers, in taxonomy order (the order of a prediction's values). */
  static final List<Quantity> ANSWERS = GalaxyZooTaxonomy.answers().stream()
      .map((Answer a) -> new Quantity(a.id(), "predicted " + a.name())).toList();

  /** Every compared quantity: the answers, then the image statistics (the order of a row's values). */
  private static final List<Quantity> QUANTITIES = Stream.concat(ANSWERS.stream(),
      ImageStatistics.QUANTITIES.stream()).toList();

  /** Below this many drawn validation galaxies a merger fraction is not scanned. */
  static final int MIN_SCANNED_GALAXIES = 100;

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
   *
   * <p>A test sample with more or fewer mergers than the validation split differs from it in every
   * quantity that mergers move (the "odd" answers, and any image statistic a merger changes), yet
   * that change of prevalence is what the measurement estimates, not a sign that the calibration
   * fails. So the validation side is drawn at the test's estimated merger fraction ({@code
   * mergerFraction}, the corrected estimate; true mergers by {@code criterion} on their labels):
   * under a pure prevalence change (label shift: the images of a merger, and of a non-merger, look
   * the same in both samples) the test sample is then distributed as the validation one, and only a
   * change in what mergers or non-mergers look like is called a shift. NaN (no estimate), or a
   * validation split that cannot give that share: the validation split as it is.
   */
  Optional<DomainShift> check(Path out, MergerCriterion criterion, double mergerFraction) {
    return check(new Side(out.resolve(MergersPipeline.VAL_PREDICTIONS), p -> true,
            out.resolve(MergersPipeline.VAL_IMAGE_STATISTICS)),
        new Side(out.resolve(MergersPipeline.TEST_PREDICTIONS), p -> true, out.resolve(MergersPipeline.TEST_IMAGE_STATISTICS)),
        criterion, mergerFraction);
  }

  /**
   * Where one side of the comparison is: the predictions in a folder that {@code in} keeps (a folder
   * may hold both splits), and the folder of their {@link ImageStatistics} lines.
   */
  public record Side(Path predictions, Predicate<Prediction> in, Path imageStatistics) {}

  /** {@link #check(Path, MergerCriterion, double)} for any two sides; the validation side must be labelled. */
  public Optional<DomainShift> check(Side validationSide, Side testSide, MergerCriterion criterion,
      double mergerFraction) {
    ShiftSample val = ShiftSample.predictions(validationSide.predictions(), validationSide.in(), maxGalaxies, seed,
        p -> p.getLabels() != null && criterion.isMerger(p.getLabels().get(criterion.answer().index())))
        .withImageStatistics(validationSide.imageStatistics());
    List<ShiftSample.Row> testRows = ShiftSample.predictions(testSide.predictions(), testSide.in(), maxGalaxies, seed,
        null).withImageStatistics(testSide.imageStatistics()).draw(Double.NaN);
    return check(val, testRows, mergerFraction);
  }

  /**
   * Compares the test rows with validation rows drawn at {@code mergerFraction}. Where they differ,
   * it also draws the validation rows at every whole per cent of mergers ({@link #matching}), so
   * that a wrong estimate is not reported as images unlike the validation split.
   */
  Optional<DomainShift> check(ShiftSample val, List<ShiftSample.Row> testRows, double mergerFraction) {
    List<ShiftSample.Row> valRows = val.draw(mergerFraction);
    double drawnAt = mergerFraction;
    if (valRows.size() < 2) {
      valRows = val.draw(Double.NaN);
      drawnAt = Double.NaN;
    }
    if (valRows.size() < 2 || testRows.size() < 2) {
      return Optional.empty();
    }
    List<double[]> tested = columns(testRows); // the same for every validation draw
    DomainShift atEstimate = compare(QUANTITIES, columns(valRows), tested, drawnAt);
    if (!atEstimate.detected() || Double.isNaN(drawnAt)) {
      return Optional.of(atEstimate);
    }
    return Optional.of(new DomainShift(atEstimate.alpha(), atEstimate.validationGalaxies(),
        atEstimate.testGalaxies(), drawnAt, atEstimate.comparisons(), scan(val, tested, valRows.size())));
  }

  /**
   * The merger fractions tried, on a grid of whole per cents, and those at which validation rows
   * drawn there differ from the test rows in no quantity; empty when none could be tried. This is
   * the label-shift assumption the correction rests on, tested directly: if the test images are
   * validation-like galaxies at some other merger prevalence, one of these draws looks like them.
   *
   * <p>Every fraction is tried with {@code size} validation galaxies, as many as the draw at the
   * estimate, and only where the split can give that many at it: the test's power falls with fewer
   * galaxies, and a smaller draw would "match" for want of power, not for likeness (with 93 true
   * mergers in a split, a draw at 47% holds under 200 galaxies where one at 3% holds 550). No scan
   * where the estimate's draw itself is below {@link #MIN_SCANNED_GALAXIES} (in a larger split).
   */
  private Optional<DomainShift.FractionScan> scan(ShiftSample val, List<double[]> tested, int size) {
    if (size < Math.min(MIN_SCANNED_GALAXIES, val.mergers() + val.others())) {
      return Optional.empty();
    }
    double low = Double.NaN;
    double high = Double.NaN;
    double triedLow = Double.NaN;
    double triedHigh = Double.NaN;
    for (int percent = 0; percent <= 100; percent++) {
      double f = percent / 100.0;
      List<ShiftSample.Row> rows = val.draw(f, size);
      if (rows.size() < size - 1) { // one fewer: the strata's rounding to whole galaxies
        continue;
      }
      triedLow = Double.isNaN(triedLow) ? f : triedLow;
      triedHigh = f;
      if (!compare(QUANTITIES, columns(rows), tested, f).detected()) {
        low = Double.isNaN(low) ? f : low;
        high = f;
      }
    }
    return Double.isNaN(triedLow) ? Optional.empty()
        : Optional.of(new DomainShift.FractionScan(low, high, triedLow, triedHigh, size));
  }

  /** Each quantity's values over {@code rows}, in {@link #QUANTITIES} order. */
  private static List<double[]> columns(List<ShiftSample.Row> rows) {
    return IntStream.range(0, QUANTITIES.size()).mapToObj(j -> ShiftSample.column(rows, j)).toList();
  }

  /**
   * Tests each quantity's validation values against its test values.
   *
   * @param mergerFraction the share of true mergers the validation values were drawn at; NaN: as the split holds them
   */
  public DomainShift compare(List<Quantity> quantities, List<double[]> validation, List<double[]> test,
      double mergerFraction) {
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
    return new DomainShift(alpha, validation.get(0).length, test.get(0).length, mergerFraction, out, Optional.empty());
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
