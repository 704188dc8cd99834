package org.gzpipelines.explore;

import static org.gzpipelines.report.Numbers.fixed;

import com.google.common.html.HtmlEscapers;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.gzpipelines.explore.ExploreFigures.BeforeAfter;
import org.gzpipelines.explore.ExploreResults.LabelSummary;
import org.gzpipelines.explore.ExploreResults.TreeDeviation;
import org.gzpipelines.files.AtomicFiles;
import org.gzpipelines.report.Numbers;

/**
 * Renders computed {@link ExploreResults} as PNG figures and one self-contained HTML report (the
 * figures embedded as base64 data URIs, so the single file can be mailed or opened from MLflow).
 */
public final class ExploreReport {
  public static final String HTML = "report.html";
  public static final String FIGURES = "figures";

  private ExploreReport() {}

  /** The written report: the HTML file and the figures by name. */
  public record Rendered(Path html, Map<String, Path> figures) {}

  public static Rendered render(ExploreResults r, List<BeforeAfter> beforeAfter, Path outDir) throws IOException {
    Path figuresDir = Files.createDirectories(outDir.resolve(FIGURES));
    Map<String, BufferedImage> figures = new LinkedHashMap<>();
    figures.put("sample_grid", ExploreFigures.sampleGrid(r.sample, r.seed));
    figures.put("before_after", ExploreFigures.beforeAfter(beforeAfter, r.shapes.cropSize));
    List<LabelSummary> all = r.labelStatistics.getOrDefault(ExploreResults.ALL, List.of());
    if (!all.isEmpty()) {
      figures.put("label_histograms", ExploreFigures.labelHistograms(all));
    }
    if (!r.prototypes.isEmpty()) {
      figures.put("prototypes", ExploreFigures.prototypes(r.prototypes));
    }
    if (r.correlation != null) {
      figures.put("correlation", ExploreFigures.correlation(r.correlation, r.correlationCount));
      figures.put("question_correlations", ExploreFigures.questionCorrelations(r.correlation));
    }
    if (!r.treeConsistency.isEmpty()) {
      figures.put("tree_consistency", ExploreFigures.treeConsistency(r.treeConsistency));
    }
    List<LabelSummary> train = r.labelStatistics.get(ExploreResults.TRAIN);
    List<LabelSummary> val = r.labelStatistics.get(ExploreResults.VAL);
    if (train != null && val != null) {
      figures.put("train_vs_val", ExploreFigures.trainVsVal(train, val));
    }

    Map<String, Path> files = new LinkedHashMap<>();
    Map<String, String> base64 = new LinkedHashMap<>();
    for (Map.Entry<String, BufferedImage> f : figures.entrySet()) {
      Path file = figuresDir.resolve(f.getKey() + ".png");
      AtomicFiles.write(file, tmp -> ImageIO.write(f.getValue(), "png", tmp.toFile()));
      files.put(f.getKey(), file);
      base64.put(f.getKey(), Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
    }
    Path html = outDir.resolve(HTML);
    AtomicFiles.writeString(html, html(r, base64));
    return new Rendered(html, files);
  }

  static String html(ExploreResults r, Map<String, String> figures) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Galaxy Zoo data report</title><style>")
        .append("body{font-family:sans-serif;max-width:1400px;margin:2em auto;padding:0 1em;color:#222}")
        .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;")
        .append("text-align:right}th{background:#f0f0f0}td.l,th.l{text-align:left}")
        .append("img{max-width:100%;border:1px solid #ddd;margin:.5em 0}.note{color:#a33}")
        .append("</style></head><body>\n");
    h.append("<h1>Galaxy Zoo data report</h1>\n<p>Dataset: <code>").append(esc(r.dataDir))
        .append("</code>. Computed by the <code>gz explore</code> Beam pipeline in one bounded-memory pass.</p>\n");
    for (String note : r.notes) {
      h.append("<p class=\"note\">").append(esc(note)).append("</p>\n");
    }

    h.append("<h2>1. Counts</h2>\n<table><tr><th class=l>split</th><th>records (incl. augmented copies)</th>")
        .append("<th>original images</th><th>labelled</th><th>unlabelled</th></tr>\n");
    for (String split : r.counts.records.keySet()) {
      h.append("<tr><td class=l>").append(split).append("</td><td>").append(r.counts.records.get(split))
          .append("</td><td>").append(r.counts.originals.get(split)).append("</td><td>")
          .append(r.counts.labelled.get(split)).append("</td><td>").append(r.counts.unlabelled.get(split))
          .append("</td></tr>\n");
    }
    h.append("<tr><th class=l>total</th><th>").append(r.counts.total(r.counts.records)).append("</th><th>")
        .append(r.counts.total(r.counts.originals)).append("</th><th>").append(r.counts.total(r.counts.labelled))
        .append("</th><th>").append(r.counts.total(r.counts.unlabelled)).append("</th></tr></table>\n");
    h.append("<p>Dead-lettered inputs (could not be ingested): <b>").append(r.deadLetters).append("</b>");
    if (!r.deadLetterExamples.isEmpty()) {
      h.append(", for example:</p><ul>");
      r.deadLetterExamples.forEach(e -> h.append("<li><code>").append(esc(e)).append("</code></li>"));
      h.append("</ul>\n");
    } else {
      h.append(".</p>\n");
    }

    var s = r.shapes;
    h.append("<h2>2. Image size and memory</h2>\n<table>")
        .append(row("original images (H x W x channels)", s.rawHeight + " x " + s.rawWidth + " x " + s.rawChannels
            + " (" + esc(s.rawSizeSource) + ")"))
        .append(s.cropSize > 0 ? row("ingest preprocessing", "centre crop " + s.cropSize + " x " + s.cropSize
            + ", then resized to " + s.maxHeight + " x " + s.maxWidth) : "")
        .append(row("ingested images (H x W x channels)", range(s.minHeight, s.maxHeight) + " x "
            + range(s.minWidth, s.maxWidth) + " x " + range(s.minChannels, s.maxChannels)));
    r.bytesOnDisk.forEach((k, v) -> h.append(row("on disk: " + k, bytes(v))));
    var m = r.memory;
    h.append(row("images (originals, without augmented copies)", String.valueOf(m.images)))
        .append(row("all originals in memory, uint8", bytes(m.rawUint8Bytes)))
        .append(row("all originals in memory, float32", bytes(m.rawFloat32Bytes)))
        .append(row("all downsampled in memory, uint8", bytes(m.downsampledUint8Bytes)))
        .append(row("all downsampled in memory, float32", bytes(m.downsampledFloat32Bytes)))
        .append(row("reduction factor", Numbers.significant(m.reductionFactor, 3) + "x"))
        .append("</table>\n");

    h.append("<h2>3. Random sample</h2>\n").append(img(figures, "sample_grid"));
    h.append("<h2>4. Label distributions</h2>\n").append(img(figures, "label_histograms"));
    h.append("<p>Median: interpolated inside 0.005-wide histogram bins. Skewness: g1 = sqrt(n) m3 / m2^1.5. ")
        .append("BC: Sarle's bimodality coefficient (G1² + 1) / (G2 + 3(n-1)²/((n-2)(n-3))); above 5/9 (0.555) ")
        .append("hints at two modes or at a pile-up at 0. Peaks: local maxima of the 20-bin histogram holding ≥ ")
        .append((int) (LabelStatistics.PEAK_MIN_MASS * 100)).append("% of galaxies, counted as separate modes ")
        .append("only if the histogram dips below ").append((int) (LabelStatistics.PEAK_VALLEY_RATIO * 100))
        .append("% of the lower peak between them. <b>Multimodal</b> = 2 or more such peaks.</p>\n");
    h.append("<table><tr><th class=l>label</th><th class=l>id</th><th>n</th><th>mean</th><th>median</th>")
        .append("<th>std</th><th>zeros</th><th>skewness</th><th>BC</th><th>peaks</th><th>multimodal</th></tr>\n");
    for (LabelSummary l : r.labelStatistics.getOrDefault(ExploreResults.ALL, List.of())) {
      h.append("<tr><td class=l>").append(esc(l.name)).append("</td><td class=l>").append(l.id).append("</td><td>")
          .append(l.count).append("</td><td>").append(fixed(l.mean, 3)).append("</td><td>").append(fixed(l.median, 3))
          .append("</td><td>").append(fixed(l.std, 3)).append("</td><td>").append(Numbers.percent(l.zeroFraction))
          .append("</td><td>").append(fixed(l.skewness, 2)).append("</td><td>")
          .append(fixed(l.bimodalityCoefficient, 2)).append("</td><td>").append(l.peaks).append("</td><td>")
          .append(l.multimodal ? "yes" : "no").append("</td></tr>\n");
    }
    h.append("</table>\n");

    h.append("<h2>5. Prototypes</h2>\n<p>For each label, the galaxy with the highest value ")
        .append("(ties: the smallest GalaxyID).</p>\n").append(img(figures, "prototypes"));
    h.append("<h2>6. Label correlations</h2>\n<p>Pearson r over ").append(r.correlationCount)
        .append(" labelled galaxies, one pass with streaming co-moments (Welford updates, Chan et al. merges).</p>\n")
        .append(img(figures, "correlation"));
    h.append("<h2>7. Correlations within each question</h2>\n").append(img(figures, "question_correlations"));

    h.append("<h2>8. Decision-tree consistency</h2>\n<p>Per question, sum of its answers minus the value of ")
        .append("the answer that leads to it (or 1). Within tolerance: |deviation| ≤ ")
        .append(TreeConsistency.TOLERANCE).append(".</p>\n<table><tr><th>question</th><th class=l>parent</th>")
        .append("<th>mean deviation</th><th>std</th><th>max |deviation|</th><th>within tolerance</th></tr>\n");
    for (TreeDeviation t : r.treeConsistency) {
      h.append("<tr><td>Q").append(t.question).append("</td><td class=l>").append(esc(t.parent)).append("</td><td>")
          .append(sci(t.mean)).append("</td><td>").append(sci(t.std)).append("</td><td>").append(sci(t.maxAbs))
          .append("</td><td>").append(Numbers.percent(t.withinTolerance)).append("</td></tr>\n");
    }
    h.append("</table>\n").append(img(figures, "tree_consistency"));

    h.append("<h2>9. Before and after downsampling</h2>\n").append(img(figures, "before_after"));

    h.append("<h2>10. Train vs validation</h2>\n");
    List<LabelSummary> train = r.labelStatistics.get(ExploreResults.TRAIN);
    List<LabelSummary> val = r.labelStatistics.get(ExploreResults.VAL);
    if (train != null && val != null) {
      int worst = largestMeanDifference(train, val);
      h.append("<p>Largest difference in means: <b>").append(esc(train.get(worst).name)).append("</b> (")
          .append(train.get(worst).id).append("): train ").append(fixed(train.get(worst).mean, 3)).append(", val ")
          .append(fixed(val.get(worst).mean, 3)).append(", difference ")
          .append(Numbers.signed(val.get(worst).mean - train.get(worst).mean, 3)).append(".</p>\n");
      h.append(img(figures, "train_vs_val"));
    } else {
      h.append("<p>No labelled train and validation galaxies to compare.</p>\n");
    }
    h.append("</body></html>\n");
    return h.toString();
  }

  /** Index of the label whose train and validation means differ most. */
  public static int largestMeanDifference(List<LabelSummary> train, List<LabelSummary> val) {
    int worst = 0;
    for (int i = 1; i < train.size(); i++) {
      if (Math.abs(val.get(i).mean - train.get(i).mean) > Math.abs(val.get(worst).mean - train.get(worst).mean)) {
        worst = i;
      }
    }
    return worst;
  }

  private static String img(Map<String, String> figures, String name) {
    String data = figures.get(name);
    if (data == null) {
      return "<p>(no data for this figure)</p>\n";
    }
    return "<img id=\"" + name + "\" alt=\"" + name + "\" src=\"data:image/png;base64," + data + "\">\n";
  }

  private static String row(String key, String value) {
    return "<tr><td class=l>" + esc(key) + "</td><td>" + value + "</td></tr>\n";
  }

  private static String range(int lo, int hi) {
    return lo == hi ? String.valueOf(lo) : lo + "-" + hi;
  }

  static String bytes(long b) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = b;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return Numbers.significant(v, 3) + " " + units[u] + String.format(Locale.ROOT, " (%,d bytes)", b);
  }

  /** Deviations of order 1e-8 (float rounding) in the notation of the figure's titles: 3.9E-8. */
  private static String sci(double v) {
    return Numbers.significant(v, 2);
  }

  private static String esc(String s) {
    return s == null ? "" : HtmlEscapers.htmlEscaper().escape(s);
  }
}
