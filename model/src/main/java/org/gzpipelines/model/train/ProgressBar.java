package org.gzpipelines.model.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar of images done, redrawn in place with a carriage return at most 4 times a
 * second on a terminal; elsewhere (a log file, a pipe) a plain line every 30 seconds, so a log holds
 * a readable line per update instead of one line of thousands of redraws. Training draws it with
 * its loss and learning rate; a pipeline on the Direct runner with its images done
 * ({@code run.PipelineProgress}).
 */
public final class ProgressBar {

  private final PrintStream out;
  private final long total;
  private final long startNanos = System.nanoTime();
  private final long startImages;
  private final boolean inPlace;
  private long lastDraw;
  private long drawnImages = -1;

  public ProgressBar(PrintStream out, long total, long startImages) {
    this(out, total, startImages, System.console() != null);
  }

  ProgressBar(PrintStream out, long total, long startImages, boolean inPlace) {
    this.out = out;
    this.total = total;
    this.startImages = startImages;
    this.inPlace = inPlace;
  }

  /** A training step's images seen, loss and learning rate; drawn unless the last draw was too recent. */
  void update(long images, double loss, float lr, boolean force) {
    if (due(force)) { // before formatting: training calls this once a batch
      draw(images, String.format(Locale.ROOT, "  loss(rmse) %.4f  lr %.2g", loss, lr));
    }
  }

  /**
   * The images done; drawn unless the last draw was too recent, or is forced but the last draw
   * showed as many (a pipeline that ends within its first second drew its total already).
   */
  public void update(long images, boolean force) {
    if (!(force && images == drawnImages) && due(force)) {
      draw(images, "");
    }
  }

  /** Whether to draw now: when forced, or when the last draw is old enough. */
  private boolean due(boolean force) {
    long now = System.nanoTime();
    if (!force && now - lastDraw < (inPlace ? 250_000_000L : 30_000_000_000L)) {
      return false;
    }
    lastDraw = now;
    return true;
  }

  private void draw(long images, String detail) {
    drawnImages = images;
    long now = System.nanoTime();
    double seconds = (now - startNanos) / 1e9;
    double rate = (images - startImages) / Math.max(seconds, 1e-9);
    double eta = rate > 0 ? Math.max(0, total - images) / rate : Double.NaN;
    int width = 24;
    int done = (int) Math.min(width, Math.round(width * (double) images / Math.max(1, total)));
    String line = String.format(Locale.ROOT, "[%s%s] %,d/%,d images  %.0f img/s%s  ETA %s",
        "=".repeat(done), " ".repeat(width - done), images, total, rate, detail, format(eta));
    if (inPlace) {
      out.print("\r" + line + "   ");
    } else {
      out.println(line);
    }
    out.flush();
  }

  public void finish() {
    if (inPlace) {
      out.println();
    }
  }

  private static String format(double seconds) {
    if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
      return "?";
    }
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
        : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }
}
