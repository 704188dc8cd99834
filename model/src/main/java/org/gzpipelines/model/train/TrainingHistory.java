package org.gzpipelines.model.train;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.gzpipelines.files.AtomicFiles;
import org.gzpipelines.tracking.MetricPoint;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The evaluations of one training run: a CSV and a loss-curve figure against images seen. */
public final class TrainingHistory {

  /** CSV header of {@link #writeCsv}. */
  public static final String HEADER = "images_seen,train_rmse,val_rmse,lr,elapsed_s,logged_at_ms";

  /**
   * One evaluation, logged as metrics at {@code loggedAt} (epoch milliseconds): a run continued
   * in a new MLflow run replays the rows with their exact values and original times.
   */
  public record Row(long imagesSeen, double trainRmse, double valRmse, double lr, double elapsedSeconds,
      long loggedAt) {

    /** Its RMSEs as the run's metric points: what a training run, and the model saved here, sort by. */
    public List<MetricPoint> rmsePoints() {
      return List.of(new MetricPoint("train_rmse", trainRmse, imagesSeen, loggedAt),
          new MetricPoint("val_rmse", valRmse, imagesSeen, loggedAt));
    }
  }

  private final List<Row> rows = new ArrayList<>();

  public void add(Row row) {
    rows.add(row);
  }

  public List<Row> rows() {
    return List.copyOf(rows);
  }

  /** The evaluation at {@code imagesSeen}, if one was made there (a model saved there was scored by it). */
  public Optional<Row> at(long imagesSeen) {
    return rows.stream().filter(r -> r.imagesSeen() == imagesSeen).reduce((first, last) -> last);
  }

  public void writeCsv(Path file) {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (Row r : rows) {
      // Shortest exact form (Double.toString): a resume replays these values as logged.
      sb.append(r.imagesSeen()).append(',').append(r.trainRmse()).append(',').append(r.valRmse()).append(',')
          .append(r.lr()).append(',').append(String.format(Locale.ROOT, "%.1f", r.elapsedSeconds())).append(',')
          .append(r.loggedAt()).append('\n');
    }
    try {
      AtomicFiles.writeString(file, sb.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  public static TrainingHistory readCsv(Path file) {
    TrainingHistory h = new TrainingHistory();
    try {
      List<String> lines = Files.readAllLines(file);
      for (String line : lines.subList(1, lines.size())) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split(",");
        // Histories written before logged_at_ms was recorded: their rows count as logged now.
        h.add(new Row(Long.parseLong(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
            Double.parseDouble(f[3]), Double.parseDouble(f[4]),
            f.length > 5 ? Long.parseLong(f[5]) : System.currentTimeMillis()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read training history " + file, e);
    }
    return h;
  }

  /** Training and validation RMSE against images seen, learning-rate reductions marked. */
  public void plot(Path png, String title) {
    XYChart chart = new XYChartBuilder().width(900).height(560).title(title)
        .xAxisTitle("training images seen").yAxisTitle("RMSE (37 vote fractions)").build();
    chart.getStyler().setMarkerSize(5);
    if (rows.isEmpty()) {
      return;
    }
    double[] x = rows.stream().mapToDouble(Row::imagesSeen).toArray();
    chart.addSeries("training (running)", x, rows.stream().mapToDouble(Row::trainRmse).toArray());
    chart.addSeries("validation", x, rows.stream().mapToDouble(Row::valRmse).toArray());
    List<Double> rx = new ArrayList<>();
    List<Double> ry = new ArrayList<>();
    for (int i = 1; i < rows.size(); i++) {
      if (rows.get(i).lr() < rows.get(i - 1).lr() * 0.999) {
        // The LR in a row is the one used for the training that led up to it: mark where it fell.
        rx.add((double) rows.get(i - 1).imagesSeen());
        ry.add(rows.get(i - 1).valRmse());
      }
    }
    if (!rx.isEmpty()) {
      XYSeries s = chart.addSeries("learning rate lowered", rx, ry);
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      s.setMarker(SeriesMarkers.DIAMOND);
    }
    try {
      AtomicFiles.write(png, tmp -> {
        try (OutputStream out = Files.newOutputStream(tmp)) {
          BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png, e);
    }
  }
}
