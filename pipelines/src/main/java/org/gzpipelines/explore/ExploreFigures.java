package org.gzpipelines.explore;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.gzpipelines.explore.ExploreResults.Image;
import org.gzpipelines.explore.ExploreResults.LabelSummary;
import org.gzpipelines.explore.ExploreResults.TreeDeviation;
import org.gzpipelines.ingest.ImageOps;
import org.gzpipelines.report.Numbers;
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
  /**
   * Histogram panels a row: four 430-px panels show at 80% in the report's 1400-px column, where
   * six shrank their tick labels to about 7 px.
   */
  static final int PANEL_COLUMNS = 4;
  /** Pixels between a heat map's tick labels and its plot. */
  static final int TICK_GAP = 12;

  private ExploreFigures() {}

  // ---- image grids -------------------------------------------------------------------------

  private static BufferedImage rgb(Image image) {
    return ImageOps.toImage(ByteBuffer.wrap(image.pixels), image.width, image.height, image.channels);
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
      images.add(rgb(i));
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
      images.add(rgb(i));
      captions.add(new String[] {
        i.labelName, GalaxyZooTaxonomy.answers().get(i.labelIndex).id() + " = " + Numbers.fixed(i.labelValue, 3),
        "id " + i.galaxyId});
    }
    return imageGrid("Prototype of each label: the galaxy with the highest value", images, captions, 8, 170);
  }

  /**
   * One row per galaxy: the original, with the centre crop ingest kept outlined, and the ingested
   * image at the same display size. {@code cropSize} is the crop side from the dataset's
   * preprocessing (0 when unknown: no outline).
   */
  public static BufferedImage beforeAfter(List<BeforeAfter> pairs, int cropSize) {
    int tile = 360;
    int captionHeight = 54;
    int rowH = tile + captionHeight + 20;
    BufferedImage canvas = canvas(2 * (tile + 40) + 20, TITLE_HEIGHT + Math.max(1, pairs.size()) * rowH,
        cropSize > 0 ? "Before and after ingest: centre crop (dashed), then downsampling" : "Before and after ingest");
    Graphics2D g = graphics(canvas);
    for (int r = 0; r < pairs.size(); r++) {
      BeforeAfter p = pairs.get(r);
      int y = TITLE_HEIGHT + r * rowH;
      int left = 30;
      int right = left + tile + 40;
      g.setFont(CAPTION);
      if (p.original() != null) {
        BufferedImage original = p.original();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(original, left, y, tile, tile, null);
        boolean cropFits = cropSize > 0 && cropSize <= original.getWidth() && cropSize <= original.getHeight();
        if (cropFits) {
          drawCrop(g, original, cropSize, left, y, tile);
        }
        g.setColor(Color.BLACK);
        drawFitted(g, "original " + original.getWidth() + "x" + original.getHeight() + " px, id "
            + p.ingested().galaxyId, left, y + tile + 22, tile);
        if (cropFits) {
          drawFitted(g, "dashed: the central " + cropSize + "x" + cropSize + " px crop", left, y + tile + 44, tile);
        }
      } else {
        g.setColor(new Color(240, 240, 240));
        g.fillRect(left, y, tile, tile);
        g.setColor(Color.DARK_GRAY);
        drawFitted(g, "original not reachable:", left + 10, y + tile / 2 - 12, tile - 20);
        drawFitted(g, p.note(), left + 10, y + tile / 2 + 12, tile - 20);
        drawFitted(g, "id " + p.ingested().galaxyId, left, y + tile + 22, tile);
      }
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
      g.drawImage(rgb(p.ingested()), right, y, tile, tile, null);
      g.setColor(Color.BLACK);
      drawFitted(g, "ingested " + p.ingested().width + "x" + p.ingested().height + " px (shown enlarged)",
          right, y + tile + 22, tile);
      if (cropSize > 0) {
        drawFitted(g, "the crop, resized", right, y + tile + 44, tile);
      }
      g.setColor(Color.GRAY);
      g.drawRect(left, y, tile, tile);
      g.drawRect(right, y, tile, tile);
    }
    g.dispose();
    return canvas;
  }

  /**
   * Outlines on an original drawn at {@code tile} x {@code tile} the square ingest keeps: the
   * same offset as {@code ingest.ImageOps.centerCrop}, scaled to the display size. Dashed white
   * over a dark outline, visible on black sky and on a bright galaxy alike.
   */
  private static void drawCrop(Graphics2D g, BufferedImage original, int cropSize, int x, int y, int tile) {
    double sx = (double) tile / original.getWidth();
    double sy = (double) tile / original.getHeight();
    var crop = new java.awt.geom.Rectangle2D.Double(x + (original.getWidth() - cropSize) / 2 * sx,
        y + (original.getHeight() - cropSize) / 2 * sy, cropSize * sx, cropSize * sy);
    java.awt.Stroke before = g.getStroke();
    g.setStroke(new BasicStroke(4f));
    g.setColor(new Color(0, 0, 0, 150));
    g.draw(crop);
    g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
    g.setColor(Color.WHITE);
    g.draw(crop);
    g.setStroke(before);
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
        + " labelled galaxies, bin width 0.05)", panels, PANEL_COLUMNS, 430, 320);
  }

  /** Train and validation histograms overlaid, with the difference of means in each title. */
  public static BufferedImage trainVsVal(List<LabelSummary> train, List<LabelSummary> val) {
    List<Chart<?, ?>> panels = new ArrayList<>();
    for (int i = 0; i < train.size(); i++) {
      LabelSummary t = train.get(i);
      LabelSummary v = val.get(i);
      XYChart chart = histogramChart(t.name + "  Δmean " + Numbers.signed(v.mean - t.mean, 3),
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
        panels, PANEL_COLUMNS, 430, 320);
  }

  /** Per question, the distribution of (sum of answers - parent value). */
  public static BufferedImage treeConsistency(List<TreeDeviation> questions) {
    List<Chart<?, ?>> panels = new ArrayList<>();
    for (TreeDeviation t : questions) {
      String parent = t.parent.equals("1") ? "1" : t.parent.substring(0, t.parent.indexOf(' '));
      XYChart chart = histogramChart("Q" + t.question + ": sum - " + parent + "  (max |d| "
          + Numbers.significant(t.maxAbs, 2) + ")",
          "sum of answers - parent value", "fraction of galaxies");
      addStep(chart, "deviation", t.histogramLo, t.histogramHi, t.histogram, TRAIN_COLOR, true);
      chart.getStyler().setLegendVisible(false);
      chart.getStyler().setXAxisMin(t.histogramLo).setXAxisMax(t.histogramHi);
      if (t.histogramHi < 0.01) {
        // The same notation as the title's Numbers.significant: 2E-8, not 2.0E-8 next to 0.0E0.
        chart.getStyler().setXAxisDecimalPattern("0.#E0");
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
    padForWidestName(chart.getStyler(), names);
    chart.getStyler().setChartTitleFont(TITLE);
    chart.getStyler().setLegendFont(CAPTION);
    chart.getStyler().setGradientColorColumnHeight(400);
    BufferedImage image = new BufferedImage(1900, 1800, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = graphics(image);
    chart.paint(g, image.getWidth(), image.getHeight());
    g.dispose();
    return image;
  }

  /**
   * The 11 within-question correlation sub-matrices, values printed in the cells, each under its
   * question. Two panels a row, so the figure shows at its own size in the report (1400 px wide).
   */
  public static BufferedImage questionCorrelations(double[][] r) {
    List<Chart<?, ?>> panels = new ArrayList<>();
    List<String> titles = new ArrayList<>();
    for (Question q : GalaxyZooTaxonomy.questions()) {
      List<String> names = q.answers().stream().map(Answer::name).toList();
      HeatMapChart chart = heatMap("", names, r, q.firstIndex(), q.size(), true);
      // XChart draws a chart title on one line centred on the plot, not the panel
      // (ChartTitle.paint), so a long question ran off the panel: the panel draws it instead.
      chart.getStyler().setChartTitleVisible(false);
      panels.add(chart);
      titles.add("Q" + q.number() + ": " + q.text());
    }
    return tile("Correlations within each question", panels, titles, 2, 700, 620);
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
    // Rotated names hang from the axis (XChart's "Right" end of a rotated label is its top), not
    // centred in the space the longest one needs.
    styler.setXAxisLabelAlignmentVertical(org.knowm.xchart.style.AxesChartStyler.TextAlignment.Right);
    styler.setShowValue(showValues);
    styler.setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    styler.setHeatMapValueDecimalPattern("0.00");
    styler.setLegendVisible(true);
    styler.setLegendPosition(Styler.LegendPosition.OutsideE);
    styler.setLegendFont(TICKS);
    styler.setPlotContentSize(1.0);
    styler.setPlotGridLinesVisible(false);
    padForWidestName(styler, names);
    return chart;
  }

  /**
   * XChart sizes an axis for the tick label with the most characters (Axis.getYAxisWidthHint,
   * getXAxisHeightHint), not the widest one, so a wider name of the same length ("arms: more than
   * four" against "bulge shape: no bulge") ran into the plot and was cut off under it. The tick
   * padding (both axes) is widened by the difference, plus a gap that keeps names off the tick marks.
   */
  static void padForWidestName(org.knowm.xchart.style.HeatMapStyler styler, List<String> names) {
    java.awt.font.FontRenderContext frc = new java.awt.font.FontRenderContext(null, true, false);
    Font font = styler.getAxisTickLabelsFont();
    String longest = "";
    double widest = 0;
    for (String name : names) {
      if (name.length() > longest.length()) {
        longest = name;
      }
      widest = Math.max(widest, font.getStringBounds(name, frc).getWidth());
    }
    double sized = longest.isEmpty() ? 0 : font.getStringBounds(longest, frc).getWidth();
    styler.setAxisTickPadding(TICK_GAP + (int) Math.ceil(widest - sized));
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
    return tile(title, panels, List.of(), columns, panelW, panelH);
  }

  /**
   * Paints charts into a grid of panels under a figure title; where {@code panelTitles} has an
   * entry, the panel's chart is painted under that title, wrapped onto as many lines as it needs.
   */
  static BufferedImage tile(String title, List<Chart<?, ?>> panels, List<String> panelTitles, int columns,
      int panelW, int panelH) {
    int rows = Math.max(1, (panels.size() + columns - 1) / columns);
    BufferedImage canvas = canvas(columns * panelW, TITLE_HEIGHT + rows * panelH, title);
    Graphics2D g = graphics(canvas);
    for (int i = 0; i < panels.size(); i++) {
      Graphics2D panel = (Graphics2D) g.create((i % columns) * panelW, TITLE_HEIGHT + (i / columns) * panelH,
          panelW, panelH);
      int top = i < panelTitles.size() ? drawWrapped(panel, panelTitles.get(i), PANEL_TITLE, panelW) : 0;
      Graphics2D chart = (Graphics2D) panel.create(0, top, panelW, panelH - top);
      panels.get(i).paint(chart, panelW, panelH - top);
      chart.dispose();
      panel.dispose();
    }
    g.dispose();
    return canvas;
  }

  /**
   * Draws {@code text} from the top of {@code g}, centred in a panel {@code width} wide, in lines
   * that leave a margin each side (the JDK's LineBreakMeasurer breaks them between words); returns
   * the height used.
   */
  static int drawWrapped(Graphics2D g, String text, Font font, int width) {
    java.text.AttributedString attributed = new java.text.AttributedString(text);
    attributed.addAttribute(java.awt.font.TextAttribute.FONT, font);
    java.text.AttributedCharacterIterator chars = attributed.getIterator();
    java.awt.font.LineBreakMeasurer lines = new java.awt.font.LineBreakMeasurer(chars, g.getFontRenderContext());
    int margin = 6;
    float y = margin;
    g.setColor(Color.BLACK);
    while (lines.getPosition() < chars.getEndIndex()) {
      java.awt.font.TextLayout line = lines.nextLayout(width - 4 * margin);
      y += line.getAscent();
      line.draw(g, (width - line.getAdvance()) / 2, y);
      y += line.getDescent() + line.getLeading();
    }
    return (int) Math.ceil(y) + margin;
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

  /** A sampled galaxy's original image (null when unreachable, with a note why) and its ingested one. */
  public record BeforeAfter(BufferedImage original, Image ingested, String note) {}
}
