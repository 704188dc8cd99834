package org.gzpipelines.explore;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gzpipelines.explore.ExploreResults.Image;
import org.gzpipelines.explore.ExploreResults.LabelSummary;
import org.gzpipelines.explore.ExploreResults.TreeDeviation;
import org.gzpipelines.taxonomy.Answer;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.gzpipelines.taxonomy.Question;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws the report's figures from the computed results: XChart for the charts, each painted into
 * a panel of a Java2D canvas so many small charts form one figure, and Java2D for image grids.
 */
public final class ExploreFigures {
  static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 28);
  static final Font PANEL_TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 17);
  static final Font AXIS_TITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
  static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  static final Font CAPTION = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
  public static final Color TRAIN_COLOR = new Color(31, 119, 180);
  public static final Color VAL_COLOR = new Color(255, 127, 14);
  private static final int TITLE_HEIGHT = 60;

  private ExploreFigures() {}

  // ---- image grids -------------------------------------------------------------------------

  /** uint8 HWC pixels (1, 3 or 4 channels) as an RGB image. */
  static BufferedImage toRgb(Image image) {
    BufferedImage out = new BufferedImage(image.width, image.height, BufferedImage.TYPE_INT_RGB);
    int c = image.channels;
    for (int y = 0; y < image.height; y++) {
      for (int x = 0; x < image.width; x++) {
        int o = (y * image.width + x) * c;
        int r = image.pixels[o] & 0xff;
        int g = c >= 3 ? image.pixels[o + 1] & 0xff : r;
        int b = c >= 3 ? image.pixels[o + 2] & 0xff : r;
        out.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return out;
  }

  /** A grid of images, each drawn at {@code tile} x {@code tile} with caption lines under it. */
  public static BufferedImage imageGrid(String title, List<BufferedImage> images, List<String[]> captions,
      int columns, int tile) {
    int lines = captions.stream().mapToInt(c -> c.length).max().orElse(0);
    int captionHeight = lines * 20 + 8;
    int cellW = tile + 20;
    int cellH = tile + captionHeight + 16;
    int rows = Math.max(1, (images.size() + columns - 1) / columns);
    BufferedImage canvas = canvas(columns * cellW + 20, TITLE_HEIGHT + rows * cellH + 10, title);
    Graphics2D g = graphics(canvas);
    for (int i = 0; i < images.size(); i++) {
      int x = 20 + (i % columns) * cellW;
      int y = TITLE_HEIGHT + (i / columns) * cellH;
      // Nearest neighbour: show the pixels as they are, without invented detail.
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
      g.drawImage(images.get(i), x, y, tile, tile, null);
      g.setColor(Color.GRAY);
      g.drawRect(x, y, tile, tile);
      g.setColor(Color.BLACK);
      g.setFont(CAPTION);
      String[] caption = captions.get(i);
      for (int l = 0; l < caption.length; l++) {
        drawFitted(g, caption[l], x, y + tile + 20 + l * 20, tile);
      }
    }
    g.dispose();
    return canvas;
  }

  /** The random sample as a square-ish grid. */
  public static BufferedImage sampleGrid(List<Image> sample, long seed) {
    List<BufferedImage> images = new ArrayList<>();
    List<String[]> captions = new ArrayList<>();
    for (Image i : sample) {
      images.add(toRgb(i));
      captions.add(new String[] {"id " + i.galaxyId + " (" + i.split + ")"});
    }
    int columns = (int) Math.ceil(Math.sqrt(Math.max(1, sample.size())));
    String size = sample.isEmpty() ? "" : ", " + sample.get(0).width + "x" + sample.get(0).height + " px";
    return imageGrid(sample.size() + " random galaxies (seed " + seed + size + ")", images, captions, columns, 200);
  }

  /** Each label's prototype, titled with its name, GalaxyID and value. */
  public static BufferedImage prototypes(List<Image> prototypes) {
    List<BufferedImage> images = new ArrayList<>();
    List<String[]> captions = new ArrayList<>();
    for (Image i : prototypes) {
      images.add(toRgb(i));
      captions.add(new String[] {
        i.labelName, GalaxyZooTaxonomy.answers().get(i.labelIndex).id() + " = " + fmt(i.labelValue, 3),
        "id " + i.galaxyId});
    }
    return imageGrid("Prototype of each label: the galaxy with the highest value", images, captions, 8, 170);
  }

  /** One row per galaxy: the original and the ingested image at the same display size. */
  public static BufferedImage beforeAfter(List<BeforeAfter> pairs) {
    int tile = 360;
    int captionHeight = 54;
    int rowH = tile + captionHeight + 20;
    BufferedImage canvas = canvas(2 * (tile + 40) + 20, TITLE_HEIGHT + Math.max(1, pairs.size()) * rowH,
        "Before and after downsampling (same display size)");
    Graphics2D g = graphics(canvas);
    for (int r = 0; r < pairs.size(); r++) {
      BeforeAfter p = pairs.get(r);
      int y = TITLE_HEIGHT + r * rowH;
      int left = 30;
      int right = left + tile + 40;
      g.setFont(CAPTION);
      if (p.original() != null) {
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(p.original(), left, y, tile, tile, null);
        g.setColor(Color.BLACK);
        drawFitted(g, "original " + p.original().getWidth() + "x" + p.original().getHeight() + " px, id "
            + p.ingested().galaxyId, left, y + tile + 22, tile);
      } else {
        g.setColor(new Color(240, 240, 240));
        g.fillRect(left, y, tile, tile);
        g.setColor(Color.DARK_GRAY);
        drawFitted(g, "original not reachable:", left + 10, y + tile / 2 - 12, tile - 20);
        drawFitted(g, p.note(), left + 10, y + tile / 2 + 12, tile - 20);
        drawFitted(g, "id " + p.ingested().galaxyId, left, y + tile + 22, tile);
      }
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
      g.drawImage(toRgb(p.ingested()), right, y, tile, tile, null);
      g.setColor(Color.BLACK);
      drawFitted(g, "ingested " + p.ingested().width + "x" + p.ingested().height + " px (shown enlarged)",
          right, y + tile + 22, tile);
      g.setColor(Color.GRAY);
      g.drawRect(left, y, tile, tile);
      g.drawRect(right, y, tile, tile);
    }
    g.dispose();
    return canvas;
  }

  // ---- histograms --------------------------------------------------------------------------

  /** The 37 normalised label histograms, one panel each. */
  public static BufferedImage labelHistograms(List<LabelSummary> labels) {
    List<Chart<?, ?>> panels = new ArrayList<>();
    for (LabelSummary s : labels) {
      XYChart chart = histogramChart(s.name + " (" + s.id + ")", "vote fraction", "fraction of galaxies");
      addStep(chart, "all", 0, 1, s.histogram, TRAIN_COLOR, true);
      chart.getStyler().setLegendVisible(false);
      panels.add(chart);
    }
    return tile("Distribution of each label (" + (labels.isEmpty() ? 0 : labels.get(0).count)
        + " labelled galaxies, bin width 0.05)", panels, 6, 430, 320);
  }

  /** Train and validation histograms overlaid, with the difference of means in each title. */
  public static BufferedImage trainVsVal(List<LabelSummary> train, List<LabelSummary> val) {
    List<Chart<?, ?>> panels = new ArrayList<>();
    for (int i = 0; i < train.size(); i++) {
      LabelSummary t = train.get(i);
      LabelSummary v = val.get(i);
      XYChart chart = histogramChart(t.name + "  Δmean " + fmtSigned(v.mean - t.mean, 3),
          "vote fraction", "fraction of galaxies");
      addStep(chart, "train", 0, 1, t.histogram, TRAIN_COLOR, false);
      addStep(chart, "val", 0, 1, v.histogram, VAL_COLOR, false);
      chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
      chart.getStyler().setLegendFont(TICKS);
      panels.add(chart);
    }
    long nt = train.isEmpty() ? 0 : train.get(0).count;
    long nv = val.isEmpty() ? 0 : val.get(0).count;
    return tile("Train (" + nt + ") vs validation (" + nv + ") label distributions; Δmean = val mean - train mean",
        panels, 6, 430, 320);
  }

  /** Per question, the distribution of (sum of answers - parent value). */
  public static BufferedImage treeConsistency(List<TreeDeviation> questions) {
    List<Chart<?, ?>> panels = new ArrayList<>();
    for (TreeDeviation t : questions) {
      String parent = t.parent.equals("1") ? "1" : t.parent.substring(0, t.parent.indexOf(' '));
      XYChart chart = histogramChart("Q" + t.question + ": sum - " + parent + "  (max |d| " + fmtSci(t.maxAbs) + ")",
          "sum of answers - parent value", "fraction of galaxies");
      addStep(chart, "deviation", t.histogramLo, t.histogramHi, t.histogram, TRAIN_COLOR, true);
      chart.getStyler().setLegendVisible(false);
      chart.getStyler().setXAxisMin(t.histogramLo).setXAxisMax(t.histogramHi);
      if (t.histogramHi < 0.01) {
        chart.getStyler().setXAxisDecimalPattern("0.0E0");
      }
      panels.add(chart);
    }
    return tile("Decision-tree consistency: per question, answers' sum minus the parent answer's value",
        panels, 4, 520, 360);
  }

  public static XYChart histogramChart(String title, String xTitle, String yTitle) {
    XYChart chart = new XYChart(400, 300);
    chart.setTitle(title);
    chart.setXAxisTitle(xTitle);
    chart.setYAxisTitle(yTitle);
    style(chart.getStyler());
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
    chart.getStyler().setMarkerSize(0);
    chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setXAxisDecimalPattern("0.##");
    chart.getStyler().setYAxisDecimalPattern("0.###");
    return chart;
  }

  /** Adds a histogram over [lo, hi] as a step line (the last bin repeated to close it). */
  public static void addStep(XYChart chart, String name, double lo, double hi, double[] fractions, Color color,
      boolean filled) {
    int bins = fractions.length;
    double[] x = new double[bins + 1];
    double[] y = new double[bins + 1];
    for (int i = 0; i <= bins; i++) {
      x[i] = lo + (hi - lo) * i / bins;
      y[i] = fractions[Math.min(i, bins - 1)];
    }
    XYSeries series = chart.addSeries(name, x, y);
    series.setXYSeriesRenderStyle(filled ? XYSeries.XYSeriesRenderStyle.StepArea : XYSeries.XYSeriesRenderStyle.Step);
    series.setMarker(SeriesMarkers.NONE);
    series.setLineColor(color);
    series.setFillColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 110));
    series.setLineWidth(2.2f);
  }

  // ---- correlations ------------------------------------------------------------------------

  /** The 37 x 37 Pearson correlation matrix with label names on both axes. */
  public static BufferedImage correlation(double[][] r, long count) {
    List<String> names = new ArrayList<>();
    for (Answer a : GalaxyZooTaxonomy.answers()) {
      names.add(a.name() + " " + a.id().substring(5));
    }
    HeatMapChart chart = heatMap("Pearson correlation of the 37 labels (" + count + " galaxies)",
        names, r, 0, names.size(), false);
    chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
    chart.getStyler().setChartTitleFont(TITLE);
    chart.getStyler().setLegendFont(CAPTION);
    chart.getStyler().setGradientColorColumnHeight(400);
    BufferedImage image = new BufferedImage(1900, 1800, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = graphics(image);
    chart.paint(g, image.getWidth(), image.getHeight());
    g.dispose();
    return image;
  }

  /** The 11 within-question correlation sub-matrices, values printed in the cells. */
  public static BufferedImage questionCorrelations(double[][] r) {
    List<Chart<?, ?>> panels = new ArrayList<>();
    for (Question q : GalaxyZooTaxonomy.questions()) {
      List<String> names = q.answers().stream().map(Answer::name).toList();
      HeatMapChart chart = heatMap("Q" + q.number() + ": " + wrapQuestion(q.text()), names, r,
          q.firstIndex(), q.size(), true);
      chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
      panels.add(chart);
    }
    return tile("Correlations within each question", panels, 3, 720, 620);
  }

  private static String wrapQuestion(String text) {
    return text.length() > 64 ? text.substring(0, 62) + "…" : text;
  }

  /** A heat map of r[first..first+n) with a blue-white-red scale fixed to [-1, 1]. */
  static HeatMapChart heatMap(String title, List<String> names, double[][] r, int first, int n,
      boolean showValues) {
    HeatMapChart chart = new HeatMapChartBuilder().width(800).height(700).build();
    chart.setTitle(title);
    List<Number[]> cells = new ArrayList<>();
    // Row i of the matrix is drawn top to bottom: XChart's y index 0 is the bottom row.
    List<String> yNames = new ArrayList<>(names);
    java.util.Collections.reverse(yNames);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double v = r[first + i][first + j];
        cells.add(new Number[] {j, n - 1 - i, Double.isNaN(v) ? 0.0 : v});
      }
    }
    chart.addSeries("r", names, yNames, cells);
    var styler = chart.getStyler();
    style(styler);
    styler.setRangeColors(new Color[] {new Color(33, 102, 172), Color.WHITE, new Color(178, 24, 43)});
    styler.setMin(-1).setMax(1);
    styler.setXAxisLabelRotation(90);
    styler.setShowValue(showValues);
    styler.setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    styler.setHeatMapValueDecimalPattern("0.00");
    styler.setLegendVisible(true);
    styler.setLegendPosition(Styler.LegendPosition.OutsideE);
    styler.setLegendFont(TICKS);
    styler.setPlotContentSize(1.0);
    styler.setPlotGridLinesVisible(false);
    return chart;
  }

  // ---- shared drawing helpers --------------------------------------------------------------

  static void style(org.knowm.xchart.style.AxesChartStyler styler) {
    styler.setChartTitleFont(PANEL_TITLE);
    styler.setAxisTitleFont(AXIS_TITLE);
    styler.setAxisTickLabelsFont(TICKS);
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setPlotBorderColor(Color.GRAY);
    styler.setPlotGridLinesColor(new Color(225, 225, 225));
    styler.setChartTitleBoxVisible(false);
    styler.setChartPadding(8);
    styler.setAntiAlias(true);
  }

  /** Paints charts into a grid of panels under a figure title. */
  public static BufferedImage tile(String title, List<Chart<?, ?>> panels, int columns, int panelW, int panelH) {
    int rows = Math.max(1, (panels.size() + columns - 1) / columns);
    BufferedImage canvas = canvas(columns * panelW, TITLE_HEIGHT + rows * panelH, title);
    Graphics2D g = graphics(canvas);
    for (int i = 0; i < panels.size(); i++) {
      Graphics2D panel = (Graphics2D) g.create((i % columns) * panelW, TITLE_HEIGHT + (i / columns) * panelH,
          panelW, panelH);
      panels.get(i).paint(panel, panelW, panelH);
      panel.dispose();
    }
    g.dispose();
    return canvas;
  }

  static BufferedImage canvas(int width, int height, String title) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = graphics(image);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLACK);
    // Shrink the title until it fits a narrow figure.
    Font font = TITLE;
    while (font.getSize() > 14 && g.getFontMetrics(font).stringWidth(title) > width - 20) {
      font = font.deriveFont((float) font.getSize() - 2);
    }
    g.setFont(font);
    FontMetrics fm = g.getFontMetrics();
    g.drawString(title, Math.max(10, (width - fm.stringWidth(title)) / 2), 40);
    g.dispose();
    return image;
  }

  static Graphics2D graphics(BufferedImage image) {
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setStroke(new BasicStroke(1f));
    return g;
  }

  /** Draws text, shortened with an ellipsis if it is wider than {@code width}. */
  static void drawFitted(Graphics2D g, String text, int x, int y, int width) {
    FontMetrics fm = g.getFontMetrics();
    String s = text;
    while (s.length() > 1 && fm.stringWidth(s) > width) {
      s = s.substring(0, s.length() - 2) + "…";
    }
    g.drawString(s, x, y);
  }

  static String fmt(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  static String fmtSigned(double v, int decimals) {
    return String.format(Locale.ROOT, "%+." + decimals + "f", v);
  }

  static String fmtSci(double v) {
    return String.format(Locale.ROOT, "%.2g", v);
  }

  /** A sampled galaxy's original image (null when unreachable, with a note why) and its ingested one. */
  public record BeforeAfter(BufferedImage original, Image ingested, String note) {}
}
