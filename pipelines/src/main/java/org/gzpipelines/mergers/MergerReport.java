package org.gzpipelines.mergers;

import com.google.common.html.HtmlEscapers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import org.gzpipelines.report.Numbers;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes the merger-fraction report: two figures (the estimates against Lotz et al. 2011, and the
 * validation calibration against the threshold) and one self-contained HTML page that says first
 * whether the corrected fraction can be trusted (and why not), then the estimates, the domain-shift
 * check, the calibration, the merger candidates for the eye, and the fraction-to-rate conversion
 * with the corrections that matter.
 */
public final class MergerReport {

  /** Everything the report shows; {@code decision} says where the model calls a merger and why there. */
  public record Inputs(
      MergerFractionEstimator.Estimate estimate,
      DecisionSensitivity sensitivity,
      double[] validationPredicted,
      double[] validationTruth,
      OptionalDouble knownTrueFraction,
      Optional<DomainShift> domainShift,
      Reliability reliability,
      Optional<CandidateGallery.Written> candidates,
      String sampleDescription,
      String modelDescription,
      String decision) {}

  /** The files written. */
  public record Written(Path html, Path fractionFigure, Path calibrationFigure) {}

  private static final Lotz2011.Method METHOD = Lotz2011.Method.VISUAL;

  private static final java.awt.Color[] PALETTE = {
    new java.awt.Color(0x1f77b4), new java.awt.Color(0x2ca02c), new java.awt.Color(0xd62728),
    new java.awt.Color(0x7f7f7f), new java.awt.Color(0xff7f0e), new java.awt.Color(0x9467bd),
  };

  private MergerReport() {}

  public static Written write(Inputs in, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path fraction = dir.resolve("merger-fraction.png");
    Path calibration = dir.resolve("merger-calibration.png");
    BitmapEncoder.saveBitmap(fractionChart(in), fraction.toString(), BitmapEncoder.BitmapFormat.PNG);
    BitmapEncoder.saveBitmap(calibrationChart(in), calibration.toString(), BitmapEncoder.BitmapFormat.PNG);
    Path html = dir.resolve("mergers.html");
    Files.writeString(html, html(in, fraction, calibration), StandardCharsets.UTF_8);
    return new Written(html, fraction, calibration);
  }

  /** One point with an asymmetric interval, drawn as a marker on a vertical bar. */
  private record Bar(String label, double value, double low, double high) {}

  static XYChart fractionChart(Inputs in) {
    MergerFractionEstimator.Estimate e = in.estimate();
    List<Bar> bars = new ArrayList<>();
    // Short names: XChart leaves out every other tick label when the longest does not fit between
    // two ticks (AxisTickCalculator_.willLabelsFitInTickSpaceHint); the table above has the detail.
    bars.add(new Bar("raw", e.raw().value(), e.raw().low(), e.raw().high()));
    bars.add(new Bar("expected", e.expected().value(), e.expected().low(), e.expected().high()));
    bars.add(new Bar(Double.isNaN(e.corrected().value()) ? "corrected: n/a" : "corrected",
        e.corrected().value(), e.corrected().low(), e.corrected().high()));
    in.knownTrueFraction().ifPresent(t -> bars.add(new Bar("true (synthetic)", t, t, t)));
    // The like-for-like reference (volunteers' votes) and Lotz et al.'s close pairs, named as such:
    // a pair fraction has another observability timescale, so it is a scale, not a target.
    Lotz2011.Quoted darg = Darg2010.MERGER_FRACTION;
    bars.add(new Bar("GZ1 votes (Darg+10)", darg.value(), darg.low(), darg.high()));
    Lotz2011.Quoted lotz = Lotz2011.MAJOR_MERGER_FRACTION_Z0;
    bars.add(new Bar("pairs (Lotz+11)", lotz.value(), lotz.low(), lotz.high()));

    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(520)
            // Short enough for the chart's width with the warning in front (a longer title is cut off).
            .title((in.reliability().reliable() ? "Merger fraction" : "UNRELIABLE (see report): merger fraction")
                + ", " + Math.round(100 * e.confidence()) + "% intervals; z~0 reference ranges")
            .yAxisTitle("merger fraction")
            .build();
    style(chart);
    // XChart has no categorical axis with asymmetric error bars: each estimate is a vertical bar
    // at x = 1..n, and the x ticks are named after them. Equally spaced x values from the axis
    // minimum to its maximum get one tick each (AxisTickCalculator_), so the axis spans exactly
    // 1..n; XChart's plot content margin keeps the outer bars off the plot's edges.
    chart.getStyler().setXAxisMin(1.0).setXAxisMax((double) bars.size());
    // XChart drops a tick label that would cross the chart's edge: room for the outer names.
    chart.getStyler().setChartPadding(30);
    chart.getStyler().setxAxisTickLabelsFormattingFunction(x -> category(bars, x));
    chart.getStyler().setXAxisTitleVisible(false);
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisDecimalPattern(
        percentPattern(bars.stream().mapToDouble(b -> Double.isNaN(b.high()) ? 0 : b.high()).max().orElse(0)));
    chart.getStyler().setPlotGridVerticalLinesVisible(false);
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      double x = i + 1;
      java.awt.Color color = PALETTE[i % PALETTE.length];
      chart
          .addSeries(b.label(), new double[] {x, x}, new double[] {b.low(), b.high()})
          .setMarker(SeriesMarkers.NONE)
          .setLineWidth(5f)
          .setLineColor(color);
      chart
          .addSeries(b.label() + " value", new double[] {x}, new double[] {b.value()})
          .setMarker(SeriesMarkers.DIAMOND)
          .setMarkerColor(color)
          .setLineStyle(SeriesLines.NONE)
          .setShowInLegend(false);
    }
    return chart;
  }

  /** The name of the bar at tick {@code x}, "" anywhere else. */
  private static String category(List<Bar> bars, double x) {
    int i = (int) Math.round(x) - 1;
    return Math.abs(x - Math.rint(x)) < 1e-6 && i >= 0 && i < bars.size() ? bars.get(i).label() : "";
  }

  /**
   * The y ticks of an axis up to {@code top} as percentages (DecimalFormat multiplies by 100 for "%"), with one decimal when
   * the axis stays below 10%, where its ticks fall on half or fifth percents: every tick then has
   * the same number of decimals, not ".08" next to "0.1".
   */
  static String percentPattern(double top) {
    return top < 0.1 ? "0.0%" : "0%";
  }

  private static XYChart calibrationChart(Inputs in) {
    MergerCriterion criterion = in.estimate().criterion();
    int steps = 50;
    double[] thresholds = new double[steps];
    double[] completeness = new double[steps];
    double[] purity = new double[steps];
    double[] fpr = new double[steps];
    for (int i = 0; i < steps; i++) {
      double t = 0.02 + i * (0.96 / (steps - 1));
      ThresholdCalibration c =
          ThresholdCalibration.of(in.validationPredicted(), in.validationTruth(),
              new MergerCriterion(criterion.answer(), criterion.threshold(), t));
      thresholds[i] = t;
      // Undefined values (purity above the largest prediction: no predicted merger) stay NaN,
      // which XChart draws as a gap: a 0 there would read as "every predicted merger is false".
      completeness[i] = c.completeness();
      purity[i] = c.purity();
      fpr[i] = c.falsePositiveRate();
    }
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(520)
            .title("Validation calibration of '" + criterion.answer().name() + "' (a merger: true " + criterion.answer().id()
                + " >= " + criterion.threshold() + ")")
            .xAxisTitle("decision threshold on predicted " + criterion.answer().id())
            .yAxisTitle("share")
            .build();
    style(chart);
    chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
    chart.addSeries("completeness (true mergers recovered)", thresholds, completeness).setMarker(SeriesMarkers.NONE);
    chart.addSeries("purity (predicted mergers that are true)", thresholds, purity).setMarker(SeriesMarkers.NONE);
    chart.addSeries("false-positive rate", thresholds, fpr).setMarker(SeriesMarkers.NONE);
    chart
        .addSeries(String.format(Locale.ROOT, "decision threshold %.3f", criterion.decision()),
            new double[] {criterion.decision(), criterion.decision()},
            new double[] {0, 1})
        .setMarker(SeriesMarkers.NONE)
        .setLineStyle(SeriesLines.DASH_DASH)
        .setLineColor(java.awt.Color.BLACK);
    return chart;
  }

  private static void style(XYChart chart) {
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setChartTitleFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 18));
    chart.getStyler().setAxisTitleFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 15));
    chart.getStyler().setAxisTickLabelsFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 13));
    chart.getStyler().setLegendFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 13));
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
  }

  private static String html(Inputs in, Path fraction, Path calibration) throws IOException {
    MergerFractionEstimator.Estimate e = in.estimate();
    ThresholdCalibration c = e.calibration();
    Lotz2011.Quoted t = METHOD.observabilityTimescale();
    double[] rate = Lotz2011.rateFromFraction(e.corrected().value(), METHOD);
    double[] rateLow = Lotz2011.rateFromFraction(e.corrected().low(), METHOD);
    double[] rateHigh = Lotz2011.rateFromFraction(e.corrected().high(), METHOD);
    Lotz2011.Quoted lotzRate = Lotz2011.MAJOR_MERGER_RATE_Z0;
    Lotz2011.Quoted lotzFraction = Lotz2011.MAJOR_MERGER_FRACTION_Z0;
    StringBuilder h = new StringBuilder();
    h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Merger fraction</title>")
        .append("<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;line-height:1.45}")
        .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}")
        .append("th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}img{max-width:100%}</style></head><body>");
    h.append("<h1>Merger fraction</h1>");
    if (!in.reliability().reliable()) {
      h.append("<div style=\"border:3px solid #c00;background:#fee;padding:0.5em 1em;margin:1em 0\">")
          .append("<p><b>The corrected merger fraction is unreliable.</b></p><ul>");
      in.reliability().reasons().forEach(r -> h.append(li(esc(r))));
      h.append("</ul><p>Look at the merger candidates below before using any number on this page.</p></div>");
    }
    h.append(p("Sample: " + esc(in.sampleDescription()) + ". Model: " + esc(in.modelDescription()) + "."));
    MergerCriterion criterion = e.criterion();
    h.append(p(String.format(Locale.ROOT, "Definition: a galaxy is a merger when its volunteers' %s (%s) vote fraction"
        + " is at least %s; %s. Predicted vote fractions are pulled towards the mean, so a model may call mergers"
        + " below that threshold; the calibration below shows how its decision performs. In the Kaggle"
        + " normalisation Class8.6 already equals P(odd) x P(merger | odd). The usual threshold, 0.4, is Darg et"
        + " al.'s f_m &gt; 0.4 on Galaxy Zoo 1, where 'merger' was a first-question answer; Galaxy Zoo 2's volunteers"
        + " reach it only through 'odd: yes' and one choice among the odd features, so its votes run lower and the"
        + " same threshold picks a stricter set (mergers.threshold moves it).", criterion.answer().id(),
        esc(criterion.answer().name()), criterion.threshold(), esc(in.decision()))));
    h.append("<h2>Estimates</h2><table><tr><th>estimate</th><th>value</th><th>")
        .append(Math.round(100 * e.confidence())).append("% interval</th></tr>");
    row(h, "raw: share the model calls mergers (" + e.predictedMergers() + " of " + e.galaxies() + ")", e.raw());
    row(h, "expected: mean predicted merger vote fraction (no threshold, no calibration)", e.expected());
    row(h, "corrected with the validation calibration" + (in.reliability().reliable() ? "" : " (UNRELIABLE, see above)"),
        e.corrected());
    in.knownTrueFraction().ifPresent(v -> h.append("<tr><td>true fraction (synthetic sample, known)</td><td>")
        .append(Numbers.percent(v)).append("</td><td></td></tr>"));
    h.append("</table>");
    h.append(p("Intervals are bootstrap percentiles (the corrected one resamples the validation split too, so the"
        + " calibration's own uncertainty is in it); the raw and corrected ones are never narrower than the Wilson"
        + " score interval of that share of the test galaxies, so a value at 0 or 1 gets a one-sided interval."
        + " The expected fraction's interval covers only the sampling of the test galaxies, not the model's bias:"
        + " a model whose merger votes run a few per cent high or low on average puts the truth outside it, so"
        + (in.reliability().reliable() ? " quote the corrected fraction, which the validation split calibrates."
            : " the corrected fraction, which the validation split calibrates, is the one to quote where it is"
                + " reliable. Here it is not (see above): quote no fraction from this model without checking the"
                + " candidates below; the expected one is as biased as the model's votes.")));
    sensitivity(h, in.sensitivity(), e.criterion());
    domainShift(h, in.domainShift());
    h.append("<h2>Calibration on the validation split</h2>");
    h.append(p(String.format(Locale.ROOT,
        "Against the volunteers' votes: completeness %s (true mergers recovered),"
            + " purity %s (predicted mergers that are true), false-positive rate %s, over %d labelled galaxies"
            + " (%d true mergers). The correction uses completeness and the false-positive rate,"
            + " f = (f_raw - fpr) / (completeness - fpr), because purity depends on how common mergers are"
            + " in the sample it was measured on and does not carry over to another sample.",
        Numbers.percent(c.completeness()), Numbers.percent(c.purity()), Numbers.percent(c.falsePositiveRate()), c.total(),
        c.truePositives() + c.falseNegatives())));
    if (c.total() > 0 && c.truePositives() < Reliability.MIN_RECOVERED_MERGERS) {
      h.append(p("<b>Warning:</b> at this decision threshold the model recovers only " + c.truePositives()
          + " of the validation split's true mergers (what to do: the reasons above)."));
    }
    h.append(img(calibration, "completeness and purity against the decision threshold"));
    h.append(p("A gap in a curve is a threshold where it is undefined (purity above the largest prediction: no"
        + " galaxy is called a merger there)."));
    if (in.candidates().isPresent()) {
      candidates(h, in.candidates().get());
    }
    h.append("<h2>Comparison with Darg et al. 2010 and Lotz et al. 2011</h2>");
    h.append(img(fraction, "merger fraction estimates"));
    h.append(p("A merger <b>fraction</b> is a snapshot: the share of galaxies that look like mergers when observed."
        + " A merger <b>rate</b> per galaxy per Gyr is that fraction divided by the observability timescale"
        + " &lt;T<sub>obs</sub>&gt; of the method: how long a merger stays identifiable by it. Lotz et al."
        + " calibrate &lt;T<sub>obs</sub>&gt; with hydrodynamic merger simulations: R = f / &lt;T<sub>obs</sub>&gt;."));
    h.append("<table><tr><th>method</th><th>&lt;T<sub>obs</sub>&gt; (Gyr)</th><th>range</th><th>source</th></tr>");
    for (Lotz2011.Method m : Lotz2011.Method.values()) {
      Lotz2011.Quoted q = m.observabilityTimescale();
      Numbers.Shown shown = Numbers.interval(q.value(), q.low(), q.high());
      h.append("<tr><td>").append(esc(m.description())).append("</td><td>").append(shown.value())
          .append("</td><td>").append(shown.range()).append("</td><td>")
          .append(esc(q.source())).append("</td></tr>");
    }
    h.append("</table>");
    Numbers.Shown timescale = Numbers.interval(t.value(), t.low(), t.high());
    String withTimescale = "the " + esc(METHOD.description()) + " timescale (" + timescale.value() + " Gyr, range "
        + timescale.range() + ")";
    if (Double.isNaN(e.corrected().value())) {
      h.append(p("The corrected fraction is undefined, so with " + withTimescale + " it implies no merger rate."));
    } else if (!in.reliability().reliable()) {
      // A rate from an unreliable fraction would read as a measurement beside Lotz et al.'s, whatever its label.
      h.append(p("<b>No merger rate:</b> the corrected fraction is marked unreliable above, so no rate is derived"
          + " from it (with " + withTimescale + " a rate is R = f / &lt;T<sub>obs</sub>&gt;)."));
    } else {
      // Two significant digits of the rate (0.075, as the reference's 0.030), its ranges at the same decimals.
      int d = Numbers.decimals(rate[0] > 0 ? rate[0] : rateHigh[2], 2);
      // The fraction as the table above shows it, so the two agree.
      String corrected = Numbers.percentInterval(e.corrected().value(), e.corrected().low(), e.corrected().high()).value();
      h.append(p("With " + withTimescale + ", the corrected fraction " + corrected
          + " implies a merger rate of " + Numbers.fixed(rate[0], d) + " per galaxy per Gyr ("
          + Numbers.fixed(rate[1], d) + "-" + Numbers.fixed(rate[2], d) + " from the timescale range alone; "
          + Numbers.fixed(rateLow[1], d) + "-" + Numbers.fixed(rateHigh[2], d)
          + " over the fraction's interval and the timescale range together)."));
    }
    Numbers.Shown fractionZ0 = Numbers.percentInterval(lotzFraction.value(), lotzFraction.low(), lotzFraction.high());
    Numbers.Shown rateZ0 = Numbers.interval(lotzRate.value(), lotzRate.low(), lotzRate.high());
    Lotz2011.Quoted darg = Darg2010.MERGER_FRACTION;
    Numbers.Shown dargFraction = Numbers.percentInterval(darg.value(), darg.low(), darg.high());
    h.append(p("Measured the same way, from volunteers' merger votes: Darg et al. 2010 find "
        + dargFraction.range() + " of volume-limited (M<sub>r</sub> &lt; -20.55) SDSS galaxies at 0.005 &lt; z"
        + " &lt; 0.1 in mergers (selected by volunteers' votes, f<sub>m</sub> &gt; 0.4, not by mass ratio;"
        + " Galaxy Zoo 1; 1-3 x C per cent with C ~ 1.5 for spectroscopic"
        + " incompleteness). This is the fraction to compare a Galaxy Zoo merger fraction with."));
    h.append(p("By other methods: Lotz et al. 2011 compile a z~0 major-merger <b>close-pair</b> fraction of about "
        + fractionZ0.value() + " (" + fractionZ0.range() + "); a pair fraction has its own observability timescale,"
        + " so it compares with a visual fraction only through the rates the two imply. Their major-merger rate is"
        + " about " + rateZ0.value() + " (" + rateZ0.range() + ") per galaxy per Gyr at z~0 for stellar-mass"
        + " selected samples. The major-merger rate per unit comoving volume evolves as (1+z)<sup>0.1&plusmn;0.4</sup>"
        + " for samples selected at constant stellar mass or passively evolving luminosity, and as"
        + " (1+z)<sup>3.0&plusmn;1.1</sup> for samples at constant number density."));
    if (in.knownTrueFraction().isPresent()) {
      h.append(p("<b>This sample is synthetic:</b> its merger fraction is what the generator was asked for (the"
          + " true fraction above), not a measurement of the sky. The comparison shows how a real sample's"
          + " fraction would be read; it says nothing about Lotz et al.'s."));
    }
    h.append("<h3>Corrections that matter before comparing</h3><ul>")
        .append(li("Mass ratio: Lotz et al.'s major mergers are 1:1-1:4 in mass; volunteers' \"merger\""
            + " votes also catch minor mergers with visible tidal features, and G-M20 is sensitive down to about"
            + " 1:10 (Lotz et al. 2010a; so Lotz et al. 2011 read its rate as the total one, and the minor-merger"
            + " rate as that less the close pairs' major one), where asymmetry finds mostly major"
            + " mergers. The minor-merger rate is about "
            + Numbers.significant(Lotz2011.MINOR_TO_MAJOR_RATE_RATIO.value(), 2) + " times the major one at z ~ 0.7"
            + " (Lotz et al.), so a fraction that"
            + " includes minor mergers can exceed the major-merger reference several times over."))
        .append(li("Sample selection: Galaxy Zoo 2 is the brighter part of the SDSS main galaxy sample (Petrosian"
            + " r &lt; 17.0, petroR90_r &gt; 3 arcsec, 0.0005 &lt; z &lt; 0.25; Willett et al. 2013), a"
            + " magnitude-limited sample; Darg et al.'s is volume-limited, and Lotz et al. compare stellar-mass and"
            + " number-density selected samples, whose volume rates evolve differently ((1+z)^0.1 vs (1+z)^3)."
            + " Compare like with like."))
        .append(li("Volunteer bias: fainter, smaller, more distant galaxies show fewer features, which shifts"
            + " volunteers' votes with redshift and size (classification bias, Bamford et al. 2009; Willett et al."
            + " 2013 debias Galaxy Zoo 2's); the Kaggle vote fractions are not debiased."))
        .append(li("Observability: a visual merger classification has no calibrated timescale; the range used here"
            + " spans the morphological timescales of Lotz et al.'s simulations, and the rate's uncertainty is"
            + " dominated by it. Values marked approximate in the table were read from Lotz et al. 2011's figures"
            + " and tables and not checked against its full text since: check them before citing a rate."))
        .append(li("Model error: the correction assumes the classifier's completeness and false-positive rate on"
            + " the validation split hold on the new sample (same survey, same selection)."))
        .append("</ul>");
    h.append(p("References: " + esc(Darg2010.CITATION) + "; " + esc(Lotz2011.CITATION) + "; "
        + esc(Lotz2011.SIMULATIONS_CITATION) + "."));
    h.append("</body></html>");
    return h.toString();
  }

  private static void domainShift(StringBuilder h, Optional<DomainShift> shift) {
    h.append("<h2>Do the test images look like the validation split?</h2>");
    if (shift.isEmpty()) {
      h.append(p("Not checked: there is no validation split to compare with."));
      return;
    }
    DomainShift s = shift.get();
    h.append(p("Each predicted answer and three image statistics of the test galaxies are compared with the"
        + " validation split's: " + esc(s.method()) + ". D is the largest gap between the two cumulative"
        + " distributions (0: identical, 1: disjoint). Drawing the validation galaxies at the test's merger"
        + " fraction tells a change in how many galaxies are mergers (which the correction measures) from a change"
        + " in what galaxies look like; a shift that moves the predictions exactly as more or fewer mergers would"
        + " cannot be told from one."));
    if (s.explainedByPrevalence()) {
      h.append(p("<b style=\"color:#c00\">" + esc(s.estimateOffHeadline()) + ".</b> The test galaxies differ from"
          + " validation galaxies drawn at the estimated merger fraction " + Numbers.percent(s.mergerFraction())
          + " (" + s.shifted().size() + " of " + s.comparisons().size() + " quantities), but not from ones drawn"
          + " at " + esc(s.matching().get().toString()) + " mergers (" + esc(s.scan().get().tried()) + "): "
          + esc(s.imagesFinding()) + ", so the share of mergers looks unlike what the correction says. Not"
          + " detecting a difference does not show there is none; the range says where the data do not rule the"
          + " share out, not what it is. Check the candidates below by eye before quoting any"
          + " fraction: the expected one is as biased as the model's votes."));
    } else if (s.detected()) {
      h.append(p("<b style=\"color:#c00\">Domain shift: " + esc(s.shiftedByKind()) + " differ beyond what sampling"
          + " explains" + s.whereCompared() + ": " + esc(s.reading()) + ".</b> To measure images like"
          + " these, calibrate on labelled images of the same kind (<code>gz mergers --validation</code> with an"
          + " ingested folder of them), or count the candidates below that you confirm by eye: that count over the"
          + " sample is a lower limit on the merger fraction, since it misses every merger the model does not call"
          + " (the galaxies shown just below the threshold give a sense of what it misses; the CSV lists every"
          + " candidate, the gallery the top ones)."
          + " Why it matters: the correction assumes that the model's"
          + " completeness and false-positive rate on the validation split hold on the test images; for images"
          + " unlike the validation split there is no evidence that they do."));
    } else {
      h.append(p("No quantity differs beyond what sampling explains" + esc(s.fewGalaxies()) + "."));
    }
    // Folded unless something shifted: 40 rows of "no" would push the calibration far down the page.
    h.append("<details").append(s.detected() ? " open" : "").append("><summary>Every quantity (")
        .append(s.comparisons().size()).append("), most significant first</summary>")
        .append("<table><tr><th>quantity</th><th>D</th><th>p</th><th>Holm-adjusted p</th><th>shifted</th></tr>");
    for (DomainShift.Comparison c : s.bySignificance()) {
      h.append("<tr").append(c.shifted() ? " style=\"background:#fee\"" : "").append("><td>").append(esc(c.key()))
          .append(" (").append(esc(c.description())).append(")</td><td>")
          .append(Numbers.significant(c.statistic(), 2)).append("</td><td>")
          .append(esc(DomainShift.Comparison.p(c.pValue()))).append("</td><td>")
          .append(esc(DomainShift.Comparison.p(c.adjustedPValue()))).append("</td><td>")
          .append(c.shifted() ? "<b>yes</b>" : "no").append("</td></tr>");
    }
    h.append("</table></details>");
  }

  private static void candidates(StringBuilder h, CandidateGallery.Written g) throws IOException {
    h.append("<h2>Merger candidates for the eye</h2>");
    String csv = esc(g.csv().getFileName().toString());
    String below = g.belowShown() == g.belowBand() ? (g.belowBand() == 1 ? "the one galaxy"
        : String.format(Locale.ROOT, "the %,d galaxies", g.belowBand()))
        : String.format(Locale.ROOT, "%d random galaxies of the %,d", g.belowShown(), g.belowBand());
    h.append(p((g.candidates() == 0 ? "No galaxy is called a merger; <a href=\"" + csv + "\">" + csv + "</a> lists"
        + " none." : String.format(Locale.ROOT, "The %,d predicted %s, ranked by Class8.6 and then Class6.1, %s in <a"
        + " href=\"%s\">%s</a> (GalaxyID, Class8.6, Class6.1, rank); below, the top %d.", g.candidates(),
        g.candidates() == 1 ? "merger" : "mergers", g.candidates() == 1 ? "is" : "are", csv, csv, g.topShown()))
        + " Then " + below + " just below the decision threshold, which show what the criterion misses. If the top"
        + " candidates are not mergers, no correction can rescue the fraction."));
    h.append(p("Each gallery is a PNG beside this report; click one to see it at full size, where every tile's"
        + " GalaxyID and predicted votes are legible."));
    if (g.candidates() > 0) { // none: the sentence above says so, and there is no gallery to show
      h.append(linked(g.top(), "top merger candidates"));
    }
    h.append(linked(g.below(), "random galaxies just below the decision threshold"));
  }

  /** An embedded figure that opens its PNG file (beside the report) at full size. */
  private static String linked(Path png, String alt) throws IOException {
    String file = esc(png.getFileName().toString());
    return img(png, alt).replaceFirst("^<p><img ", "<p><a href=\"" + file + "\"><img ").replaceFirst("></p>$", "></a></p>");
  }

  /** The corrected fraction at other decisions ({@link DecisionSensitivity}). */
  private static void sensitivity(StringBuilder h, DecisionSensitivity s, MergerCriterion inUse) {
    if (s.lowest().isEmpty()) {
      return; // no calibration: nothing is corrected at any decision
    }
    h.append("<h3>The corrected fraction at other decisions</h3>");
    h.append(p("Where the validation calibration holds for these images, every decision that separates mergers gives"
        + " about the same corrected fraction, since the correction removes each decision's own completeness and"
        + " false positives. Here it runs from " + Numbers.percent(s.lowest().getAsDouble()) + " to "
        + Numbers.percent(s.highest().getAsDouble()) + (s.stable() ? ", within what sampling explains (decisions that"
            + " call nearly all galaxies or nearly none are noisy: see the intervals)." : ": <b>it depends on the"
            + " decision</b> beyond what sampling explains (rows marked *), so the model does not measure it on these"
            + " images, whatever the interval above says.")
        + " Decisions are on the predicted " + inUse.answer().id() + "; at auto the model calls as many validation"
        + " galaxies mergers as their volunteers' votes make mergers. Intervals are 95% bootstrap percentiles; a row"
        + " is marked * when a paired bootstrap of its difference from the decision in use (test and validation"
        + " galaxies resampled together, 99% interval) excludes zero and the difference exceeds 2 points and 30%."));
    h.append("<table><tr><th>decision</th><th>called</th><th>raw</th><th>completeness</th>"
        + "<th>false-positive rate</th><th>corrected</th><th>95% interval</th></tr>");
    for (DecisionSensitivity.Row r : s.rows()) {
      h.append("<tr").append(r.label().contains("in use") ? " style=\"font-weight:bold\"" : "").append("><td>")
          .append(String.format(Locale.ROOT, "%.3f", r.decision())).append(r.label().isEmpty() ? "" : " (" + esc(r.label()) + ")")
          .append("</td><td>").append(String.format(Locale.ROOT, "%,d", r.called())).append("</td><td>")
          .append(Numbers.percent(r.raw())).append("</td><td>").append(Numbers.percent(r.completeness()))
          .append("</td><td>").append(Numbers.percent(r.falsePositiveRate())).append("</td><td>")
          .append(Numbers.percent(r.corrected())).append(r.differs() ? " *" : "").append("</td><td>")
          .append(Double.isNaN(r.low()) ? "n/a" : Numbers.percentInterval(r.corrected(), r.low(), r.high()).range())
          .append("</td></tr>");
    }
    h.append("</table>");
  }

  private static void row(StringBuilder h, String name, MergerFractionEstimator.Interval i) {
    Numbers.Shown shown = Numbers.percentInterval(i.value(), i.low(), i.high());
    h.append("<tr><td>").append(esc(name)).append("</td><td>").append(shown.value()).append("</td><td>")
        .append(Double.isNaN(i.low()) ? "n/a" : shown.range()).append("</td></tr>");
  }

  private static String img(Path png, String alt) throws IOException {
    return "<p><img alt=\"" + esc(alt) + "\" src=\"data:image/png;base64,"
        + Base64.getEncoder().encodeToString(Files.readAllBytes(png)) + "\"></p>";
  }

  private static String p(String text) {
    return "<p>" + text + "</p>";
  }

  private static String li(String text) {
    return "<li>" + text + "</li>";
  }

  private static String esc(String s) {
    return HtmlEscapers.htmlEscaper().escape(s);
  }

}
