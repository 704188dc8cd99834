package org.gzpipelines.evaluate;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.gzpipelines.files.AtomicFiles;
import org.gzpipelines.ingest.ImageOps;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Prediction;
import org.gzpipelines.taxonomy.Answer;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The evaluate stage's figures: true-vs-predicted scatter of all 37 labels, extreme galaxies. */
public final class EvaluateFigures {

  private static final int PANEL = 300;
  private static final int COLUMNS = 7;
  private static final Color POINTS = new Color(31, 119, 180, 70);
  private static final Font CAPTION = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  private static final Font HEADING = new Font(Font.SANS_SERIF, Font.BOLD, 15);

  private EvaluateFigures() {}

  /**
   * One panel per label: predicted against true value of a sample of validation galaxies,
   * translucent small markers (so dense regions read darker), the 1:1 line, equal 0-1 axes and the
   * label's RMSE over the whole validation split.
   */
  public static void scatterGrid(List<Prediction> sample, LabelRmse rmse, Path png) throws IOException {
    List<org.knowm.xchart.internal.chartpart.Chart<?, ?>> panels = new java.util.ArrayList<>();
    for (Answer a : GalaxyZooTaxonomy.answers()) {
      panels.add(panel(sample, a, rmse.perLabel()[a.index()]));
    }
    String title = String.format(Locale.ROOT, "True vs predicted vote fractions, %,d validation galaxies shown"
        + " (of %,d); overall RMSE %.4f", sample.size(), rmse.galaxies(), rmse.rmse());
    write(org.gzpipelines.explore.ExploreFigures.tile(title, panels, COLUMNS, PANEL, PANEL), png);
  }


  private static XYChart panel(List<Prediction> sample, Answer a, double rmse) {
    XYChart chart = new XYChartBuilder().width(PANEL).height(PANEL)
        .title(a.name() + " (" + a.id() + ")").xAxisTitle("true").yAxisTitle("predicted").build();
    org.knowm.xchart.style.XYStyler s = chart.getStyler();
    s.setLegendVisible(false);
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
    s.setChartPadding(4);
    chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
    chart.getStyler().setXAxisDecimalPattern("0.0").setYAxisDecimalPattern("0.0");
    chart.getStyler().setMarkerSize(3);
    double[] x = new double[sample.size()];
    double[] y = new double[sample.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = sample.get(i).getLabels().get(a.index());
      y[i] = sample.get(i).getPredictions().get(a.index());
    }
    if (x.length > 0) {
      XYSeries points = chart.addSeries("galaxies", x, y);
      points.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      points.setMarker(SeriesMarkers.CIRCLE);
      points.setMarkerColor(POINTS);
    }
    XYSeries diagonal = chart.addSeries("1:1", new double[] {0, 1}, new double[] {0, 1});
    diagonal.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    diagonal.setMarker(SeriesMarkers.NONE);
    diagonal.setLineColor(new Color(214, 39, 40));
    diagonal.setLineStyle(new BasicStroke(1.2f));
    AnnotationText text = new AnnotationText(String.format(Locale.ROOT, "RMSE %.4f", rmse), 0.27, 0.92, false);
    chart.addAnnotation(text);
    chart.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
    return chart;
  }

  /**
   * For one label: the 5 validation galaxies with the highest true value (top row) and with the
   * highest predicted value (bottom row), each captioned with its GalaxyID and both values.
   */
  public static void extremes(Answer label, List<Ranked> byTruth, List<Ranked> byPrediction,
      Map<Long, Galaxy> images, Path png) throws IOException {
    int thumb = 150;
    int captionH = 38;
    int left = 120;
    int top = 40;
    int cols = EvaluatePipeline.EXTREMES;
    int rowH = thumb + captionH + 8;
    BufferedImage out = new BufferedImage(left + cols * (thumb + 8) + 8, top + 2 * rowH, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, out.getWidth(), out.getHeight());
    g.setColor(Color.BLACK);
    g.setFont(HEADING);
    g.drawString("\"" + label.name() + "\" (" + label.id() + "): the " + cols
        + " most extreme validation galaxies", 10, 26);
    List<List<Ranked>> rows = List.of(byTruth, byPrediction);
    String[][] rowNames = {{"highest", "true value"}, {"highest", "prediction"}};
    for (int r = 0; r < 2; r++) {
      int y = top + r * rowH;
      g.setColor(Color.BLACK);
      g.setFont(HEADING.deriveFont(13f));
      g.drawString(rowNames[r][0], 8, y + thumb / 2);
      g.drawString(rowNames[r][1], 8, y + thumb / 2 + 17);
      List<Ranked> row = rows.get(r);
      for (int i = 0; i < row.size(); i++) {
        Ranked k = row.get(i);
        int x = left + i * (thumb + 8);
        Galaxy galaxy = images.get(k.galaxyId());
        if (galaxy != null) {
          g.drawImage(ImageOps.toImage(galaxy), x, y, thumb, thumb, null);
        } else {
          g.setColor(Color.LIGHT_GRAY);
          g.fillRect(x, y, thumb, thumb);
        }
        g.setColor(Color.BLACK);
        g.setFont(CAPTION);
        g.drawString("GalaxyID " + k.galaxyId(), x, y + thumb + 14);
        g.drawString(String.format(Locale.ROOT, "true %.3f  pred %.3f", k.truth(), k.predicted()), x, y + thumb + 29);
      }
    }
    g.dispose();
    write(out, png);
  }

  /** PNG, atomically (temp name, then rename). */
  static void write(BufferedImage image, Path png) throws IOException {
    AtomicFiles.write(png, tmp -> {
      if (!ImageIO.write(image, "png", tmp.toFile())) {
        throw new IOException("no PNG writer");
      }
    });
  }
}
