package org.gzpipelines.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.hash.Hashing;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.interval.ConfidenceInterval;
import org.apache.commons.math3.stat.interval.WilsonScoreInterval;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.explore.ExploreFigures;
import org.gzpipelines.files.AtomicFiles;
import org.gzpipelines.ingest.ImageInput;
import org.gzpipelines.ingest.ImageOps;
import org.gzpipelines.ingest.TestImageReader;
import org.gzpipelines.model.predict.GalaxyPredictor;
import org.gzpipelines.predict.ModelRef;
import org.gzpipelines.report.Numbers;
import org.gzpipelines.run.PipelineRunner;
import org.gzpipelines.run.Stage;
import org.gzpipelines.schemas.DeadLetter;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.gzpipelines.tracking.TrackedRun;

/**
 * The real-sample stage: a model trained on synthetic galaxies, scored on real Galaxy Zoo JPEGs
 * sorted into {@code spirals/} and {@code non_spirals/}. Does it rank the spirals above the rest
 * on "spiral: yes" (Class4.1) and "features or disk" (Class1.2), and what fraction of real
 * galaxies does it call mergers? The images are split in two halves by a hash of the GalaxyID:
 * "tune" (for choosing settings) and "report" (held out), so a reported AUC was not tuned on.
 * In-process (a few thousand images at most): the same image operations as ingest, the same
 * predictor as evaluate, and the model's recorded preprocessing.
 */
public final class RealSample implements Stage<RealSampleParams, RealSample.Summary> {

  /** Images shown in the figure. */
  private static final int SHOWN = 48;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SPIRAL = GalaxyZooTaxonomy.answer("spiral: yes").index();
  private static final int FEATURES = GalaxyZooTaxonomy.answer("features or disk").index();
  private static final int MERGER = GalaxyZooTaxonomy.answer("Class8.6").index();

  /** One image with its folder's coarse class and the model's predictions. */
  public record Scored(long galaxyId, boolean spiral, float[] predicted) {
    boolean report() {
      return heldOut(galaxyId);
    }
  }

  /**
   * An AUC with its standard error (DeLong et al. 1988, the estimate R's pROC uses). On the 48
   * bundled images the 95% interval is about +-0.15 wide, on a 700-image half about +-0.04: two
   * models' AUCs on 48 images differ by chance more often than not.
   */
  public record AucEstimate(double value, double standardError) {
    public double low() {
      return Math.max(0, value - 1.96 * standardError);
    }

    public double high() {
      return Math.min(1, value + 1.96 * standardError);
    }

    /**
     * "0.73 (0.69-0.76)". DeLong's error is 0 where no pair of images is ordered by chance: every
     * score equal (a constant model, such as the mean-label baseline: an AUC of 0.5) or the two
     * classes apart (0 or 1); a zero-width interval would claim a certainty the sample cannot give,
     * so those say which it is. Told apart by the value's side of 0.25 and 0.75, not by equality
     * with 0.5, which a sum of ties in floating point may miss.
     */
    @Override
    public String toString() {
      if (standardError == 0) {
        return String.format(Locale.ROOT, "%.2f (%s)", value,
            value > 0.25 && value < 0.75 ? "all scores equal" : "classes apart");
      }
      if (Double.isNaN(standardError)) { // DeLong's variance needs two images of each class
        return String.format(Locale.ROOT, "%.2f (too few images for an interval)", value);
      }
      return Numbers.interval(value, low(), high()).toString();
    }
  }

  /** AUCs of spirals above the rest on one set of images. */
  public record Auc(int spirals, int others, AucEstimate spiral, AucEstimate features) {}

  /**
   * The summary: AUCs on all, the tune and the report half, how many galaxies the model calls
   * mergers ({@code mergers} of all, at {@code threshold}), and how many images it could not take
   * ({@code unusable}, with the first few reasons).
   */
  public record Summary(Auc all, Auc tune, Auc report, int mergers, double threshold, Path figure, int unusable,
      List<String> unusableExamples) {
    /** Beside the figure, so that {@code gz run} can show an unchanged sample's summary without scoring it again. */
    static final String FILE_NAME = "real-sample-summary.json";

    /** The summary's file, written with the figure. */
    public Path file() {
      return figure.resolveSibling(FILE_NAME);
    }

    public static Summary read(Path file) throws IOException {
      return JSON.readValue(file.toFile(), Summary.class);
    }

    public double mergerFraction() {
      return mergers / (double) (all.spirals() + all.others());
    }

    /** A small table: the three sets of images in rows, the two answers in columns. */
    @Override
    public String toString() {
      int n = all.spirals() + all.others();
      ConfidenceInterval w = new WilsonScoreInterval().createInterval(n, mergers, 0.95);
      Numbers.Shown called = Numbers.percentInterval(mergerFraction(), w.getLowerBound(), w.getUpperBound());
      return String.format(Locale.ROOT,
          "%d spirals, %d non-spirals; AUC of spirals above the rest (0.5 is chance, 1 perfect), with 95%% intervals:%n"
              + "                 'spiral: yes'        'features or disk'   images%n"
              + "%s%s%s"
              + "called mergers (Class8.6 >= %.2f): %d of %d, %s (%s, 95%% interval; the raw share called, not"
              + " calibrated: gz mergers --images on the folder corrects it and checks it); figure %s",
          all.spirals(), all.others(), row("all", all), row("tune half", tune), row("held-out half", report),
          threshold, mergers, n, called.value(), called.range(), figure)
          + (unusable == 0 ? "" : String.format(Locale.ROOT, "%n%d image(s) left out, the model cannot take them as they"
              + " are (the whole list: gz predict --images on the folder writes their dead letters), e.g.%n  %s",
              unusable, String.join(String.format("%n  "), unusableExamples)));
    }

    private static String row(String name, Auc a) {
      return String.format(Locale.ROOT, "  %-14s %-20s %-20s %d%n", name, a.spiral(), a.features(),
          a.spirals() + a.others());
    }
  }

  private final ModelRef model;

  /**
   * Whether a galaxy is in the held-out (report) half: a fixed hash of the GalaxyID, so every model
   * is reported on the same images, and {@code bench/real-reference.sh} trains on the other half.
   */
  public static boolean heldOut(long galaxyId) {
    return (Hashing.murmur3_32_fixed().hashLong(galaxyId).asInt() & 1) == 1;
  }

  public RealSample(ModelRef model) {
    this.model = model;
  }

  @Override
  public void check(RealSampleParams params) throws IOException {
    if (params.sample == null) {
      throw new UserError("'real-sample.sample' is not set: give --sample <folder with spirals/ and non_spirals/>");
    }
    images(Path.of(params.sample).resolve("spirals"));
    images(Path.of(params.sample).resolve("non_spirals"));
  }

  @Override
  public Summary run(RealSampleParams params, TrackedRun run, PipelineRunner runner) throws IOException {
    Path sample = Path.of(params.sample);
    Path out = (params.output != null ? Path.of(params.output) : Path.of("real-sample", run.runId())).toAbsolutePath().normalize();
    Summary s = score(model.modelDir(), sample, params.threshold, params.batchSize, out);
    log(run, "all", s.all());
    log(run, "tune", s.tune());
    log(run, "report", s.report());
    run.logMetric("merger_fraction", s.mergerFraction(), 0);
    run.logArtifact(s.figure(), "");
    System.out.println(s);
    return s;
  }

  private static void log(TrackedRun run, String half, Auc a) {
    run.logMetric("auc_spiral_" + half, a.spiral().value(), 0);
    run.logMetric("auc_spiral_" + half + "_stderr", a.spiral().standardError(), 0);
    run.logMetric("auc_features_" + half, a.features().value(), 0);
    run.logMetric("auc_features_" + half + "_stderr", a.features().standardError(), 0);
  }

  /**
   * Scores the images of {@code sample}/{spirals,non_spirals}/ with the model in {@code modelDir},
   * read and prepared as {@code gz predict} reads them ({@link TestImageReader}, the model's recorded
   * crop and size). An image the model cannot take (another size, not RGB, no GalaxyID in its name)
   * is left out and counted, never scored at another scale.
   */
  public static Summary score(Path modelDir, Path sample, double threshold, int batchSize, Path outDir)
      throws IOException {
    List<Scored> scored = new ArrayList<>();
    List<BufferedImage> shown = new ArrayList<>();
    List<DeadLetter> unusable = new ArrayList<>();
    try (GalaxyPredictor predictor = GalaxyPredictor.load(modelDir)) {
      TestImageReader reader = new TestImageReader(predictor.info().preprocessingOrDefault());
      for (String folder : new String[] {"spirals", "non_spirals"}) {
        List<Path> files = images(sample.resolve(folder));
        ImageInput.unreadImagesNotice(sample.resolve(folder)).ifPresent(n -> System.err.println("gz: " + n));
        int shownHere = 0;
        for (int from = 0; from < files.size(); from += batchSize) {
          List<Galaxy> batch = new ArrayList<>();
          for (Path f : files.subList(from, Math.min(files.size(), from + batchSize))) {
            reader.read(f.toString(), batch::add, unusable::add);
          }
          if (batch.isEmpty()) {
            continue;
          }
          for (Galaxy g : batch) {
            if (shownHere++ < SHOWN / 2) {
              shown.add(ImageOps.toImage(g)); // what the model sees
            }
          }
          float[][] predicted = predictor.predict(batch);
          for (int i = 0; i < batch.size(); i++) {
            scored.add(new Scored(batch.get(i).getGalaxyId(), folder.equals("spirals"), predicted[i]));
          }
        }
      }
    }
    List<String> examples =
        unusable.stream().limit(3).map(d -> sample.relativize(Path.of(d.getSource())) + ": " + d.getReason()).toList();
    for (boolean spirals : new boolean[] {true, false}) {
      if (scored.stream().noneMatch(x -> x.spiral() == spirals)) {
        throw new UserError("no image of " + sample.resolve(spirals ? "spirals" : "non_spirals") + " could be scored"
            + (unusable.isEmpty() ? ": it holds no <GalaxyID>.jpg, .jpeg or .png"
                : "; " + unusable.size() + " left out, e.g. " + examples.get(0)));
      }
    }
    Files.createDirectories(outDir);
    Path figure = outDir.resolve("real-sample-predictions.png");
    ImageIO.write(figure(scored, shown), "png", figure.toFile());
    writeCsv(scored, outDir.resolve("real-sample-predictions.csv"));
    int mergers = (int) scored.stream().filter(s -> s.predicted()[MERGER] >= threshold).count();
    Summary summary = new Summary(auc(scored, s -> true), auc(scored, s -> !s.report()), auc(scored, Scored::report),
        mergers, threshold, figure, unusable.size(), examples);
    AtomicFiles.write(summary.file(), tmp -> JSON.writeValue(tmp.toFile(), summary));
    return summary;
  }

  /** One row per image (id, folder, half, the three scored answers): which real galaxies the model gets wrong. */
  private static void writeCsv(List<Scored> scored, Path csv) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("GalaxyID,folder,half,spiral_yes,features_or_disk,merger");
    for (Scored s : scored) {
      lines.add(String.format(Locale.ROOT, "%d,%s,%s,%.4f,%.4f,%.4f", s.galaxyId(), s.spiral() ? "spirals" : "non_spirals",
          s.report() ? "report" : "tune", s.predicted()[SPIRAL], s.predicted()[FEATURES], s.predicted()[MERGER]));
    }
    Files.write(csv, lines);
  }

  /**
   * The image files of one folder of a real sample, searched recursively as every command that
   * reads images searches ({@code <GalaxyID>.jpg}, {@code .jpeg} or {@code .png}, any case), sorted.
   */
  public static List<Path> images(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new UserError(folder + " does not exist: the real sample needs spirals/ and non_spirals/ folders of"
          + " <GalaxyID>.jpg");
    }
    return ImageInput.files(folder);
  }

  /** The first images of each folder with their predictions ({@code shown}: those images, in the same order). */
  private static BufferedImage figure(List<Scored> scored, List<BufferedImage> shown) {
    List<Scored> spirals = scored.stream().filter(Scored::spiral).toList();
    List<Scored> others = scored.stream().filter(s -> !s.spiral()).toList();
    List<Scored> order = new ArrayList<>(spirals.subList(0, Math.min(SHOWN / 2, spirals.size())));
    order.addAll(others.subList(0, Math.min(SHOWN / 2, others.size())));
    List<String[]> captions = new ArrayList<>();
    for (Scored s : order) {
      captions.add(new String[] {
        s.galaxyId() + (s.spiral() ? " (spiral)" : " (non-spiral)"),
        String.format(Locale.ROOT, "spiral: yes %.2f", s.predicted()[SPIRAL]),
        String.format(Locale.ROOT, "features/disk %.2f", s.predicted()[FEATURES]),
      });
    }
    return ExploreFigures.imageGrid(String.format(Locale.ROOT, "Real Galaxy Zoo images, the first %d of each folder"
        + " (%,d in all): the model's 'spiral: yes' and 'features or disk'", SHOWN / 2, scored.size()),
        shown, captions, 8, 150);
  }

  private static Auc auc(List<Scored> scored, Predicate<Scored> in) {
    List<Scored> sp = scored.stream().filter(in).filter(Scored::spiral).toList();
    List<Scored> other = scored.stream().filter(in).filter(s -> !s.spiral()).toList();
    return new Auc(sp.size(), other.size(), auc(sp, other, SPIRAL), auc(sp, other, FEATURES));
  }

  /**
   * Probability that a random spiral scores above a random non-spiral (ties count half), with
   * DeLong's variance from the same comparisons: each image's share of wins (its placement) varies
   * from image to image, and the spread of the placements on both sides gives the variance. Written
   * here because the AUC is a dozen lines over the comparisons already made, where Commons Math has
   * the Mann-Whitney U but no standard error for it.
   */
  static AucEstimate auc(List<Scored> positives, List<Scored> negatives, int label) {
    int m = positives.size();
    int n = negatives.size();
    double[] positivePlacement = new double[m];
    double[] negativePlacement = new double[n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float a = positives.get(i).predicted()[label];
        float b = negatives.get(j).predicted()[label];
        double win = a > b ? 1 : a == b ? 0.5 : 0;
        positivePlacement[i] += win / n;
        negativePlacement[j] += win / m;
      }
    }
    double value = StatUtils.mean(positivePlacement);
    double variance = m > 1 && n > 1
        ? StatUtils.variance(positivePlacement, value) / m + StatUtils.variance(negativePlacement, value) / n
        : Double.NaN;
    return new AucEstimate(value, Math.sqrt(variance));
  }
}
