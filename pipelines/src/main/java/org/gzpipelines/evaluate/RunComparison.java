package org.gzpipelines.evaluate;

import com.google.common.html.HtmlEscapers;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gzpipelines.tracking.MetricPoint;
import org.gzpipelines.tracking.RunSummary;
import org.gzpipelines.tracking.Tracking;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Several training runs side by side: their validation-RMSE curves against images seen on one
 * figure, and a table of best validation RMSE, parameter count and training time.
 */
public final class RunComparison {

  /** The metric GalaxyTrainer logs at each evaluation, with images seen as the step. */
  public static final String VAL_RMSE = "val_rmse";
  /** The parameter GalaxyTrainer logs with the network's trainable parameter count. */
  public static final String PARAMETERS = "model.parameters";

  /** One run's row. */
  public record Row(String runId, String runName, List<MetricPoint> curve, double bestValRmse, long bestAtImages,
      String parameters, String validationImages, double trainingSeconds) {}

  private RunComparison() {}

  /** Fetches the curves and summaries of runs through the tracking query API. */
  public static Row fetch(Tracking tracking, String runId) {
    RunSummary run = tracking.getRun(runId);
    List<MetricPoint> curve = tracking.metricHistory(runId, VAL_RMSE);
    double best = Double.NaN;
    long bestAt = -1;
    for (MetricPoint p : curve) {
      if (Double.isNaN(best) || p.value() < best) {
        best = p.value();
        bestAt = p.step();
      }
    }
    double seconds = run.endTime() > 0 ? (run.endTime() - run.startTime()) / 1000.0 : Double.NaN;
    return new Row(runId, run.runName(), curve, best, bestAt, run.params().getOrDefault(PARAMETERS, "n/a"),
        validationImages(run.params()), seconds);
  }

  /**
   * How many validation images a run's RMSE is over: its split, or train.val-max-images of it. RMSEs
   * over different sets (a sweep capped at 300, the demo at all 627) do not compare as closely as
   * the table's digits suggest, so the table says so.
   */
  private static String validationImages(Map<String, String> params) {
    String split = params.get("data.val_images");
    if (split == null) {
      return "n/a"; // another tool's run
    }
    long cap = Long.parseLong(params.getOrDefault("train.val-max-images", "0"));
    return Long.toString(cap > 0 ? Math.min(cap, Long.parseLong(split)) : Long.parseLong(split));
  }

  /** The curves on one chart. */
  public static void figure(List<Row> rows, Path png) throws IOException {
    XYChart chart = new XYChartBuilder().width(1000).height(620)
        .title("Validation RMSE against training images seen").xAxisTitle("training images seen")
        .yAxisTitle("validation RMSE").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    chart.getStyler().setXAxisDecimalPattern("#,###");
    chart.getStyler().setYAxisDecimalPattern("0.000");
    for (Row r : rows) {
      if (r.curve().isEmpty()) {
        continue;
      }
      double[] x = r.curve().stream().mapToDouble(MetricPoint::step).toArray();
      double[] y = r.curve().stream().mapToDouble(MetricPoint::value).toArray();
      XYSeries s = chart.addSeries(legend(r), x, y);
      s.setMarker(SeriesMarkers.CIRCLE);
      s.setLineStyle(new BasicStroke(2f));
    }
    if (chart.getSeriesMap().isEmpty()) {
      throw new IllegalArgumentException("none of the runs has a " + VAL_RMSE + " history: are they gz train runs?");
    }
    Files.createDirectories(png.toAbsolutePath().getParent());
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /** Says how many validation images each curve is over, as the table does, for a figure pasted alone. */
  private static String legend(Row r) {
    return String.format(Locale.ROOT, "%s (%s): best %.4f%s", r.runName(), r.runId().substring(0, Math.min(8, r.runId().length())),
        r.bestValRmse(), r.validationImages().equals("n/a") ? "" : " on " + r.validationImages() + " val images");
  }

  /** The table as CSV, Markdown and HTML files ({@code <base>.csv|.md|.html}); returns them. */
  public static List<Path> tables(List<Row> rows, Path dir, String base) throws IOException {
    Files.createDirectories(dir);
    String[] header = {"run", "run id", "best val RMSE", "at images seen", "validation images", "parameters",
        "training time (s)"};
    List<String[]> cells = new ArrayList<>();
    for (Row r : rows) {
      cells.add(new String[] {r.runName(), r.runId(), String.format(Locale.ROOT, "%.5f", r.bestValRmse()),
          Long.toString(r.bestAtImages()), r.validationImages(), r.parameters(),
          String.format(Locale.ROOT, "%.1f", r.trainingSeconds())});
    }
    StringBuilder csv = new StringBuilder(String.join(",", header)).append('\n');
    StringBuilder md = new StringBuilder("| ").append(String.join(" | ", header)).append(" |\n|");
    md.append(" --- |".repeat(header.length)).append('\n');
    StringBuilder html = new StringBuilder("<table>\n<tr>");
    for (String h : header) {
      html.append("<th>").append(HtmlEscapers.htmlEscaper().escape(h)).append("</th>");
    }
    html.append("</tr>\n");
    for (String[] row : cells) {
      List<String> quoted = new ArrayList<>();
      for (String c : row) {
        quoted.add(c.contains(",") || c.contains("\"") ? "\"" + c.replace("\"", "\"\"") + "\"" : c);
      }
      csv.append(String.join(",", quoted)).append('\n');
      md.append("| ").append(String.join(" | ", java.util.Arrays.stream(row).map(c -> c.replace("|", "\\|")).toList()))
          .append(" |\n");
      html.append("<tr>");
      for (String c : row) {
        html.append("<td>").append(HtmlEscapers.htmlEscaper().escape(c)).append("</td>");
      }
      html.append("</tr>\n");
    }
    html.append("</table>\n");
    List<Path> out = List.of(dir.resolve(base + ".csv"), dir.resolve(base + ".md"), dir.resolve(base + ".html"));
    Files.writeString(out.get(0), csv);
    Files.writeString(out.get(1), md);
    Files.writeString(out.get(2), "<!doctype html><meta charset=\"utf-8\"><title>Run comparison</title>\n" + html);
    return out;
  }
}
