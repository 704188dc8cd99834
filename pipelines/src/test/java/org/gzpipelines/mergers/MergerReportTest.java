package org.gzpipelines.mergers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergerReportTest {

  @Test
  void writesFiguresAndAnHtmlReportThatExplainsTheConversion(@TempDir Path dir) throws Exception {
    SplittableRandom r = new SplittableRandom(5);
    double[] truth = new double[800];
    double[] predicted = new double[800];
    for (int i = 0; i < truth.length; i++) {
      truth[i] = r.nextDouble() < 0.06 ? 0.6 : 0.05 * r.nextDouble();
      predicted[i] = Math.max(0, Math.min(1, truth[i] + 0.1 * r.nextGaussian()));
    }
    MergerCriterion criterion = MergerCriterion.mergerVote(0.4);
    MergerFractionEstimator.Estimate estimate =
        new MergerFractionEstimator(criterion, 200, 0.95, 1).estimate(predicted, predicted, truth);

    MergerReport.Written files =
        MergerReport.write(
            new MergerReport.Inputs(estimate, DecisionSensitivity.of(criterion, criterion, predicted, predicted, truth, 1),
                predicted, truth, OptionalDouble.of(0.06), Optional.empty(),
                Reliability.of(estimate, Optional.empty(), false), Optional.empty(), "800 synthetic galaxies", "test model",
                "the model calls a galaxy a merger at predicted Class8.6 >= 0.400 (the threshold)"),
            dir);

    for (Path png : new Path[] {files.fractionFigure(), files.calibrationFigure()}) {
      BufferedImage image = ImageIO.read(png.toFile());
      assertNotNull(image, png + " decodes as PNG");
      assertEquals(900, image.getWidth());
    }
    String html = Files.readString(files.html());
    assertTrue(html.contains("observability timescale"));
    assertTrue(html.contains("Lotz J. M. et al. 2011, ApJ 742, 103"));
    // Each timescale's source says what it rests on: the simulations' abstracts, or a value not checked since.
    assertTrue(html.contains("Lotz+2010b abstract: &lt;= 0.3 Gyr at 20% gas, &gt;= 1 Gyr at 50%"), html);
    assertTrue(html.contains("not checked against the full text"), html);
    assertTrue(html.contains("2010a, MNRAS 404, 575"), html);
    assertTrue(html.contains("Mass ratio"));
    assertTrue(html.contains("Volunteer bias"));
    assertTrue(html.contains("0.4; the model calls a galaxy a merger at predicted Class8.6 &gt;= 0.400 (the threshold)."),
        "where the model calls, and why there");
    assertEquals(2, html.split("data:image/png;base64,", -1).length - 1, "both figures are embedded");
    // Numbers at the digits they carry: fractions as percentages, a ratio of 3 as "3".
    assertTrue(html.contains("true fraction (synthetic sample, known)</td><td>6%</td>"), "true fraction as 6%");
    assertTrue(html.contains("about 3 times the major one"), "the minor/major ratio as 3");
    assertTrue(html.contains("<td>0.4</td><td>0.2-1.0</td>"), "the visual timescale at the precision of its range");
    assertTrue(html.contains("Gyr, range 0.2-1.0), the corrected fraction "), html);
    // The rate's fraction as the table shows it; a synthetic sample says its fraction is no measurement.
    String tableValue = html.replaceAll("(?s).*<td>corrected with the validation calibration</td><td>([^<]*)</td>.*", "$1");
    assertTrue(html.contains("the corrected fraction " + tableValue + " implies"), tableValue + " in " + html);
    assertTrue(html.contains("This sample is synthetic"), html);
    assertFalse(html.contains("<b>Unreliable:</b>"), html);
    // The like-for-like reference (volunteers' votes) first; Lotz et al.'s fraction named as close pairs,
    // their evolution as the volume rate's, for the selections they give it for.
    assertTrue(html.contains("Darg et al. 2010 find 1.5%-4.5% of volume-limited"), html);
    assertTrue(html.contains("major-merger <b>close-pair</b> fraction of about 2.0% (1.0%-4.0%)"), html);
    assertTrue(html.contains("rate per unit comoving volume evolves as (1+z)<sup>0.1&plusmn;0.4</sup> for samples"
        + " selected at constant stellar mass or passively evolving luminosity, and as (1+z)<sup>3.0&plusmn;1.1</sup>"), html);
    assertTrue(html.contains("about 3 times the major one at z ~ 0.7"), html);
    assertTrue(html.contains("Petrosian r &lt; 17.0, petroR90_r &gt; 3 arcsec") && !html.contains("17.77"), html);
    assertTrue(html.contains("Darg D. W. et al. 2010, MNRAS 401, 1043"), html);
  }

  @Test
  void fractionTicksAreCategoriesAndPercentagesOfOneFormat() {
    MergerCriterion criterion = MergerCriterion.mergerVote(0.4);
    double[] v = {0.0, 0.5, 0.1, 0.0};
    MergerFractionEstimator.Estimate estimate = new MergerFractionEstimator(criterion, 100, 0.95, 1).estimate(v, v, v);
    var chart = MergerReport.fractionChart(new MergerReport.Inputs(estimate, DecisionSensitivity.of(criterion, criterion, v, v, v, 1), v, v,
        OptionalDouble.empty(),
        Optional.empty(), Reliability.of(estimate, Optional.empty(), false), Optional.empty(), "4 galaxies", "test model",
        "called at the threshold"));
    var label = chart.getStyler().getxAxisTickLabelsFormattingFunction();
    assertEquals("raw", label.apply(1.0));
    assertEquals("GZ1 votes (Darg+10)", label.apply(4.0));
    assertEquals("pairs (Lotz+11)", label.apply(5.0));
    assertEquals(5.0, chart.getStyler().getXAxisMax(), "the axis spans the estimates, one tick each");
    assertEquals("", label.apply(0.0), "no name off the estimates");
    assertEquals("", label.apply(4.5), "no name between the estimates");
    // A figure pasted on its own keeps the report's warning.
    var unreliable = MergerReport.fractionChart(new MergerReport.Inputs(estimate, DecisionSensitivity.of(criterion, criterion, v, v, v, 1), v, v,
        OptionalDouble.empty(),
        Optional.empty(), new Reliability(List.of("a reason")), Optional.empty(), "4 galaxies", "test model",
        "called at the threshold"));
    assertTrue(unreliable.getTitle().startsWith("UNRELIABLE (see report): merger fraction"), unreliable.getTitle());
    assertEquals("0.0%", MergerReport.percentPattern(0.08), "ticks below 10% all get one decimal");
    assertEquals("0%", MergerReport.percentPattern(0.6));
  }
}
