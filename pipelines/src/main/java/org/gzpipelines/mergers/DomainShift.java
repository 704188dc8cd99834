package org.gzpipelines.mergers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.gzpipelines.report.Numbers;

/**
 * The outcome of the domain-shift check: for each compared quantity, how far the test galaxies'
 * distribution lies from the validation split's (the two-sample Kolmogorov-Smirnov statistic D,
 * the largest gap between the two empirical distribution functions), its p-value, and its
 * Holm-adjusted p-value; a quantity has shifted when the adjusted p-value is below {@code alpha}.
 *
 * @param alpha family-wise error rate: the chance that an unshifted sample is reported as shifted
 * @param validationGalaxies galaxies compared on the validation side (a sample, see {@link ShiftSample})
 * @param testGalaxies galaxies compared on the test side
 * @param mergerFraction the share of true mergers the validation galaxies were drawn at (the test's
 *     estimated merger fraction, so that a change of merger prevalence alone is no shift); NaN: the
 *     validation split as it is
 * @param comparisons one per quantity, in the order they were given
 * @param scan where the comparisons found a shift at {@code mergerFraction}: the other merger
 *     fractions tried, and those at which validation galaxies drawn there show none (see {@link
 *     DomainShiftCheck}); empty when nothing was shifted or the scan had too few galaxies to try
 */
public record DomainShift(double alpha, int validationGalaxies, int testGalaxies, double mergerFraction,
    List<Comparison> comparisons, Optional<FractionScan> scan) {

  /**
   * The merger fractions tried, every whole per cent from {@code triedLow} to {@code triedHigh} (those
   * at which the validation split gives {@code galaxies} galaxies), and those, from {@code low} to
   * {@code high}, at which no quantity of the test galaxies differs from the validation galaxies
   * drawn there; {@code low} and {@code high} are NaN where none matched.
   */
  public record FractionScan(double low, double high, double triedLow, double triedHigh, int galaxies) {

    public boolean matched() {
      return !Double.isNaN(low);
    }

    /** The matching fractions: "5%-20%", or "5%" for one grid point. */
    @Override
    public String toString() {
      return low == high ? Numbers.percent(low) : Numbers.percent(low) + "-" + Numbers.percent(high);
    }

    /** How they were tried, e.g. "550 validation galaxies drawn at each whole per cent from 0% to 17%". */
    public String tried() {
      return String.format(Locale.ROOT, "%,d validation galaxies drawn at each whole per cent from %s",
          galaxies, triedLow == triedHigh ? Numbers.percent(triedLow) : Numbers.percent(triedLow) + " to "
              + Numbers.percent(triedHigh));
    }
  }

  /** The merger fractions at which nothing differs, where the scan found some. */
  public Optional<FractionScan> matching() {
    return scan.filter(FractionScan::matched);
  }

  /** One quantity compared. */
  public record Comparison(String key, String description, double statistic, double pValue, double adjustedPValue,
      boolean shifted) {

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s (%s): KS D = %s, p %s (Holm-adjusted %s)", key, description,
          Numbers.significant(statistic, 2), relation(pValue), relation(adjustedPValue));
    }

    /**
     * A p-value for people: {@code 0.0039}, {@code 3.9E-7}, or {@code < 1E-15} where the tail probability is below
     * what a double resolves next to 1 (the library then returns 0, which no sample can have).
     */
    public static String p(double value) {
      return value < 1e-15 ? "< 1E-15" : Numbers.significant(value, 2);
    }

    private static String relation(double value) {
      String p = p(value);
      return p.startsWith("<") ? p : "= " + p;
    }
  }

  public boolean detected() {
    return comparisons.stream().anyMatch(Comparison::shifted);
  }

  /**
   * Whether the test galaxies differ from validation galaxies drawn at the estimated merger fraction
   * but not from ones drawn at another: a change of merger prevalence alone explains them, so the
   * estimate, not the images, is off.
   */
  public boolean explainedByPrevalence() {
    return detected() && matching().isPresent();
  }

  /** Whether the test images differ from the validation split in a way no merger fraction tried explains. */
  public boolean imagesDiffer() {
    return detected() && matching().isEmpty();
  }

  /**
   * Where the comparison was made: " at every merger fraction tried (550 validation galaxies drawn at
   * each whole per cent from 0% to 17%)" after a scan, " at the estimated merger fraction 3%" where
   * none was made, "" for the validation split as it is.
   */
  public String whereCompared() {
    if (scan.isPresent()) {
      return " at every merger fraction tried (" + scan.get().tried() + ")";
    }
    return Double.isNaN(mergerFraction) ? "" : " at the estimated merger fraction " + Numbers.percent(mergerFraction);
  }

  /** The shifted quantities, most significant first (ties, such as p-values below resolution, by larger D). */
  public List<Comparison> shifted() {
    return comparisons.stream().filter(Comparison::shifted).sorted(MOST_SIGNIFICANT_FIRST).toList();
  }

  /** All comparisons, most significant first. */
  public List<Comparison> bySignificance() {
    return comparisons.stream().sorted(MOST_SIGNIFICANT_FIRST).toList();
  }

  private static final Comparator<Comparison> MOST_SIGNIFICANT_FIRST =
      Comparator.comparingDouble(Comparison::pValue).thenComparing(Comparison::statistic, Comparator.reverseOrder());

  /** The shifted quantities' keys, comma-separated ("" when none): the run's tag. */
  public String shiftedKeys() {
    return shifted().stream().map(Comparison::key).collect(Collectors.joining(","));
  }

  /**
   * The shifted quantities by kind, for one sentence: "1 of 3 image statistics (image.brightness)
   * and 29 of 37 predicted answers (Class11.4, ... and 25 more)". Which kind shifted tells other
   * images (sky, brightness: another survey or processing) from other galaxies in like images.
   */
  public String shiftedByKind() {
    List<Comparison> images = comparisons.stream().filter(DomainShift::isImageStatistic).toList();
    List<Comparison> shifted = shifted();
    List<Comparison> shiftedImages = shifted.stream().filter(DomainShift::isImageStatistic).toList();
    List<Comparison> shiftedAnswers = shifted.stream().filter(c -> !isImageStatistic(c)).toList();
    return kind(shiftedImages, images.size(), "image statistics") + " and "
        + kind(shiftedAnswers, comparisons.size() - images.size(), "predicted answers");
  }

  /** What the shifted kinds say about the test images, for a user deciding what to do. */
  public String reading() {
    return shifted().stream().anyMatch(DomainShift::isImageStatistic)
        ? "the images themselves differ (another survey, instrument or processing?)"
        : "their sky and brightness match the validation split's, so the model sees other galaxies in them"
            + " (another mix of morphologies, or features it was not trained on)";
  }

  private static boolean isImageStatistic(Comparison c) {
    return c.key().startsWith("image.");
  }

  private static String kind(List<Comparison> shifted, int of, String what) {
    return shifted.size() + " of " + of + " " + what + (shifted.isEmpty() ? "" : " (" + keys(shifted, 4) + ")");
  }

  /** The first {@code max} keys of {@code list}, and how many more there are: "Class6.1, Class8.4 and 3 more". */
  private static String keys(List<Comparison> list, int max) {
    String named = list.stream().limit(max).map(Comparison::key).collect(Collectors.joining(", "));
    return list.size() <= max ? named : named + " and " + (list.size() - max) + " more";
  }

  /** The first {@code max} shifted quantities' keys, and how many more there are, for one sentence. */
  public String shiftedSummary(int max) {
    return keys(shifted(), max);
  }

  /**
   * Below this many test galaxies a per-quantity KS test misses all but large differences (on the
   * 48 bundled real galaxies a synthetic-trained model's images pass where 1,400 fail), so finding
   * none says little.
   */
  static final int FEW_TEST_GALAXIES = 200;

  /** What the check found of the images where only the estimate is off, with how little it says on few galaxies. */
  public String imagesFinding() {
    return "no difference in the images was found" + fewGalaxies();
  }

  /** " on only 40 test galaxies, too few to rule one out" below {@link #FEW_TEST_GALAXIES}, else "". */
  public String fewGalaxies() {
    return fewTestGalaxies() ? " on only " + testGalaxies + " test galaxies, too few to rule one out" : "";
  }

  private boolean fewTestGalaxies() {
    return testGalaxies < FEW_TEST_GALAXIES;
  }

  /**
   * The headline where only the estimate is off: on few galaxies it cannot say the images are
   * alike, and a synthetic-trained model's real images only fail it on more.
   */
  public String estimateOffHeadline() {
    return fewTestGalaxies() ? "THE ESTIMATE LOOKS OFF; TOO FEW GALAXIES TO TELL WHETHER THE IMAGES DIFFER"
        : "THE ESTIMATE LOOKS OFF; NO DIFFERENCE IN THE IMAGES DETECTED";
  }

  /**
   * The verdict for the console: a warning naming the first {@code shown} shifted quantities, or
   * a line saying there is none and a line with the test. The caller prefixes the warning lines to make them stand out.
   */
  public List<String> verdict(int shown) {
    if (!detected()) {
      return List.of("domain-shift check: no shift detected" + fewGalaxies(), "  (" + method() + ")");
    }
    List<String> lines = new ArrayList<>();
    lines.add(explainedByPrevalence()
        ? estimateOffHeadline() + ": the test galaxies differ from validation galaxies drawn at the"
            + " estimated merger fraction " + Numbers.percent(mergerFraction) + ", but not from ones drawn at "
            + matching().get() + " mergers (" + scan.get().tried() + "; a range the data do not rule out, not a"
            + " measurement); " + imagesFinding()
        : "DOMAIN SHIFT: the test images differ from the validation split" + whereCompared() + ": "
            + shiftedByKind() + " differ; " + reading());
    lines.add(method() + "; shifted, most significant first:");
    shifted().stream().limit(shown).forEach(c -> lines.add("  " + c));
    if (shifted().size() > shown) {
      lines.add("  ... and " + (shifted().size() - shown) + " more (all in the report)");
    }
    return lines;
  }

  /** Every comparison, most significant first, after the verdict: the text a run keeps. */
  public String text() {
    List<String> lines = new ArrayList<>(verdict(0).subList(0, 2)); // the verdict and the method, without the list
    lines.add("");
    bySignificance().forEach(c -> lines.add((c.shifted() ? "SHIFTED  " : "         ") + c));
    return String.join("\n", lines) + "\n";
  }

  /** The test, in one sentence. */
  public String method() {
    String drawn = Double.isNaN(mergerFraction) ? "the validation split as it is (no merger-fraction estimate, or"
        + " too few validation mergers or non-mergers to draw at it, so a change in merger prevalence also counts)"
        : "validation galaxies drawn at the test's estimated merger fraction " + Numbers.percent(mergerFraction)
            + " (true mergers by their labels), so a change in merger prevalence alone is not a shift";
    return String.format(Locale.ROOT, "two-sample Kolmogorov-Smirnov test per quantity (%d quantities), Holm-corrected"
        + " for their number at a family-wise alpha of %s, on %,d test and %,d validation galaxies (seeded samples;"
        + " %s)", comparisons.size(), alpha, testGalaxies, validationGalaxies, drawn);
  }
}
