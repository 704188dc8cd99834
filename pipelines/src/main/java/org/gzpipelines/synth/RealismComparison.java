package org.gzpipelines.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.common.math.Quantiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.explore.ExploreFigures;
import org.gzpipelines.ingest.ImageInput;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Synthetic vs real image statistics side by side ({@code gz synth --compare-real <folder>}): the
 * {@link ImageStatistics} and JPEG quality of a sample of each set, as a table (median and the
 * 16-84% range), a figure of overlaid histograms and a JSON file. This is how the generator is
 * calibrated against real SDSS cutouts, and how a user sees how far the synthetic sky is from theirs.
 *
 * @param synthetic one summary per statistic (the {@link ImageStatistics#NAMES} order, then JPEG quality)
 * @param real likewise
 * @param syntheticImages synthetic images measured
 * @param realImages real images measured
 * @param realFound real images in the folder, of which {@code realImages} were measured
 */
public record RealismComparison(List<Summary> synthetic, List<Summary> real, int syntheticImages, int realImages,
    int realFound) {

  /** Images measured per set: enough for stable medians, seconds of work. */
  public static final int SAMPLE = 300;
  public static final String FIGURE = "realism.png";
  public static final String JSON = "realism.json";

  /** One statistic over one set: its median, 16th and 84th percentiles and the values themselves. */
  public record Summary(String name, double median, double p16, double p84, double[] values) {
    static Summary of(String name, double[] values) {
      double[] v = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
      return new Summary(name, percentile(v, 50), percentile(v, 16), percentile(v, 84), v);
    }
  }

  /** The fix named when the real folder is missing or holds no images. */
  static final String REAL_FIX = "give --compare-real a folder of real Galaxy Zoo JPEGs";

  /** Measures up to {@link #SAMPLE} images of each folder (searched recursively, spread evenly). */
  public static RealismComparison of(Path syntheticImages, Path realImages) throws IOException {
    String syntheticFix = "give the folder of a synthetic set gz synth wrote";
    List<double[]> s = measure(sample(images(syntheticImages, syntheticFix)), syntheticImages, syntheticFix);
    List<Path> real = images(realImages, REAL_FIX);
    List<double[]> r = measure(sample(real), realImages, REAL_FIX);
    return new RealismComparison(summarise(s), summarise(r), s.size(), r.size(), real.size());
  }

  /** The table printed to the console; a statistic whose synthetic median lies outside the real 16-84% is marked. */
  public String table() {
    String realHeader = realImages == realFound ? "real (" + realImages + ")"
        : String.format(Locale.ROOT, "real (%d of %,d, evenly spread)", realImages, realFound);
    StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%-24s %-24s %-24s%n", "statistic (median, 16-84%)",
        "synthetic (" + syntheticImages + ")", realHeader));
    for (int i = 0; i < synthetic.size(); i++) {
      Summary s = synthetic.get(i);
      Summary r = real.get(i);
      boolean apart = s.median() < r.p16() || s.median() > r.p84();
      t.append(String.format(Locale.ROOT, "%-24s %-24s %-24s%s%n", s.name(), cell(s), cell(r),
          apart ? "  <- synthetic median outside the real 16-84%" : ""));
    }
    return t.toString();
  }

  /** Writes {@value #FIGURE} and {@value #JSON} into {@code dir}; returns the figure. */
  public Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Chart<?, ?>> panels = new ArrayList<>();
    for (int i = 0; i < synthetic.size(); i++) {
      Summary s = synthetic.get(i);
      Summary r = real.get(i);
      double lo = Math.min(first(s), first(r));
      double hi = Math.max(last(s), last(r));
      if (!(hi > lo)) {
        hi = lo + 1;
      }
      XYChart chart = ExploreFigures.histogramChart(s.name(), s.name(), "fraction of images");
      chart.getStyler().setXAxisMin(lo).setXAxisMax(hi).setXAxisDecimalPattern("0.##");
      ExploreFigures.addStep(chart, "synthetic", lo, hi, histogram(s.values(), lo, hi), ExploreFigures.TRAIN_COLOR, false);
      ExploreFigures.addStep(chart, "real", lo, hi, histogram(r.values(), lo, hi), ExploreFigures.VAL_COLOR, false);
      panels.add(chart);
    }
    BufferedImage figure = ExploreFigures.tile("Synthetic (blue, " + syntheticImages + " images) vs real (orange, "
        + realImages + " images)", panels, 3, 430, 320);
    Path png = dir.resolve(FIGURE);
    ImageIO.write(figure, "png", png.toFile());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(JSON).toFile(), this);
    return png;
  }

  private static String cell(Summary s) {
    return String.format(Locale.ROOT, "%.2f (%.2f-%.2f)", s.median(), s.p16(), s.p84());
  }

  /**
   * Every image under {@code folder}, sorted; a missing folder, or one without images, is a {@link
   * UserError} that ends with {@code fix}.
   */
  static List<Path> images(Path folder, String fix) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new UserError(folder + " is not a folder: " + fix);
    }
    List<Path> all = ImageInput.files(folder);
    if (all.isEmpty()) {
      throw new UserError("no images (*.jpg, *.png) under " + folder + ": " + fix);
    }
    return all;
  }

  /** At most {@link #SAMPLE} of {@code all}, spread evenly over it. */
  private static List<Path> sample(List<Path> all) {
    int step = Math.max(1, (all.size() + SAMPLE - 1) / SAMPLE);
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < all.size() && out.size() < SAMPLE; i += step) {
      out.add(all.get(i));
    }
    return out;
  }

  /**
   * One row per galaxy image: the {@link ImageStatistics} values, then the JPEG quality. Galaxy
   * cutouts are square; anything else (a report's figures, say) is no galaxy and is left out, and a
   * folder with no square image at all is a {@link UserError} naming it, one such file and {@code fix}.
   */
  private static List<double[]> measure(List<Path> images, Path folder, String fix) throws IOException {
    List<double[]> rows = new ArrayList<>();
    String notGalaxy = null;
    for (Path p : images) {
      byte[] bytes = Files.readAllBytes(p);
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
      if (image == null || image.getWidth() != image.getHeight()) {
        notGalaxy = p.getFileName() + (image == null ? " (not decodable)" : " (" + image.getWidth() + "x" + image.getHeight() + ")");
        continue;
      }
      double[] stats = ImageStatistics.of(image).values();
      double[] row = Arrays.copyOf(stats, stats.length + 1);
      row[stats.length] = JpegQuality.estimate(bytes);
      rows.add(row);
    }
    if (rows.isEmpty()) {
      throw new UserError("none of the " + images.size() + " images read under " + folder
          + " is a square galaxy cutout (e.g. " + notGalaxy + "; Galaxy Zoo's are 424x424 JPEGs): " + fix);
    }
    return rows;
  }

  private static List<Summary> summarise(List<double[]> rows) {
    List<String> names = new ArrayList<>(List.of(ImageStatistics.NAMES));
    names.add("JPEG quality");
    List<Summary> out = new ArrayList<>();
    for (int k = 0; k < names.size(); k++) {
      final int col = k;
      out.add(Summary.of(names.get(k), rows.stream().mapToDouble(r -> r[col]).toArray()));
    }
    return out;
  }

  /** The {@code percent}th percentile (Guava's linear interpolation), NaN for no values. */
  private static double percentile(double[] values, int percent) {
    return values.length == 0 ? Double.NaN : Quantiles.percentiles().index(percent).compute(values);
  }

  /** The 2nd/98th percentiles bound the histograms, so one outlier does not squash them. */
  private static double first(Summary s) {
    return s.values().length == 0 ? 0 : percentile(s.values(), 2);
  }

  private static double last(Summary s) {
    return s.values().length == 0 ? 1 : percentile(s.values(), 98);
  }

  private static double[] histogram(double[] values, double lo, double hi) {
    int bins = 20;
    double[] h = new double[bins];
    for (double v : values) {
      int b = (int) Math.floor((v - lo) / (hi - lo) * bins);
      h[Math.max(0, Math.min(bins - 1, b))]++;
    }
    for (int i = 0; i < bins; i++) {
      h[i] /= Math.max(1, values.length);
    }
    return h;
  }
}
