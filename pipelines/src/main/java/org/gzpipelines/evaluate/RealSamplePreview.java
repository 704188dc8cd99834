package org.gzpipelines.evaluate;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.gzpipelines.explore.ExploreFigures;
import org.gzpipelines.ingest.ImageOps;
import org.gzpipelines.model.predict.GalaxyPredictor;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Split;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;

/**
 * A trained model on a handful of real Galaxy Zoo JPEGs sorted into {@code spirals/} and {@code
 * non_spirals/}: predictions next to the images, and whether the model ranks the spirals above the
 * rest on "spiral: yes" and "features or disk". Small enough to run in-process (48 images), so no
 * pipeline: the same image operations as ingest, the same predictor as evaluate.
 */
public final class RealSamplePreview {

  /** One image with its folder's coarse class and the model's predictions. */
  public record Scored(long galaxyId, boolean spiral, float[] predicted, BufferedImage image) {}

  /** The summary: mean predictions per folder and the AUC of spirals vs the rest. */
  public record Summary(int spirals, int others, double meanSpiralOnSpirals, double meanSpiralOnOthers,
      double aucSpiral, double aucFeatures, Path figure) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT,
          "%d spirals, %d non-spirals: mean predicted 'spiral: yes' %.3f vs %.3f; AUC spirals-above-others %.2f"
              + " ('spiral: yes'), %.2f ('features or disk'); figure %s",
          spirals, others, meanSpiralOnSpirals, meanSpiralOnOthers, aucSpiral, aucFeatures, figure);
    }
  }

  private static final int SPIRAL = GalaxyZooTaxonomy.answer("spiral: yes").index();
  private static final int FEATURES = GalaxyZooTaxonomy.answer("features or disk").index();

  private RealSamplePreview() {}

  /** Scores {@code sampleDir}/{spirals,non_spirals}/*.jpg with the model; crops as its recorded preprocessing says. */
  public static Summary run(Path modelDir, Path sampleDir, Path outDir) throws IOException {
    List<Scored> scored = new ArrayList<>();
    try (GalaxyPredictor predictor = GalaxyPredictor.load(modelDir)) {
      int size = predictor.info().height();
      int cropSize = predictor.info().preprocessingOrDefault().cropSize();
      for (String folder : new String[] {"spirals", "non_spirals"}) {
        List<Path> files;
        try (Stream<Path> s = Files.list(sampleDir.resolve(folder))) {
          files = s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
        }
        List<Galaxy> batch = new ArrayList<>();
        List<BufferedImage> images = new ArrayList<>();
        for (Path f : files) {
          BufferedImage full = ImageOps.decode(Files.readAllBytes(f));
          BufferedImage crop = ImageOps.centerCrop(full, Math.min(cropSize, full.getWidth()));
          long id = Long.parseLong(f.getFileName().toString().replace(".jpg", ""));
          batch.add(Galaxy.newBuilder().setGalaxyId(id).setLabels(null).setHeight(size).setWidth(size)
              .setChannels(3).setPixels(ByteBuffer.wrap(ImageOps.resizeToHwc(crop, size, size)))
              .setSplit(Split.TEST).build());
          images.add(crop);
        }
        float[][] predicted = predictor.predict(batch);
        for (int i = 0; i < batch.size(); i++) {
          scored.add(new Scored(batch.get(i).getGalaxyId(), folder.equals("spirals"), predicted[i], images.get(i)));
        }
      }
    }
    Files.createDirectories(outDir);
    Path figure = outDir.resolve("real-sample-predictions.png");
    ImageIO.write(figure(scored), "png", figure.toFile());
    List<Scored> sp = scored.stream().filter(Scored::spiral).toList();
    List<Scored> other = scored.stream().filter(s -> !s.spiral()).toList();
    return new Summary(sp.size(), other.size(), mean(sp, SPIRAL), mean(other, SPIRAL),
        auc(sp, other, SPIRAL), auc(sp, other, FEATURES), figure);
  }

  private static BufferedImage figure(List<Scored> scored) {
    List<BufferedImage> images = new ArrayList<>();
    List<String[]> captions = new ArrayList<>();
    for (Scored s : scored) {
      images.add(s.image());
      captions.add(new String[] {
        s.galaxyId() + (s.spiral() ? " (spiral)" : " (non-spiral)"),
        String.format(Locale.ROOT, "spiral: yes %.2f", s.predicted()[SPIRAL]),
        String.format(Locale.ROOT, "features/disk %.2f", s.predicted()[FEATURES]),
      });
    }
    return ExploreFigures.imageGrid("Real Galaxy Zoo images: the model's 'spiral: yes' and 'features or disk'",
        images, captions, 8, 150);
  }

  private static double mean(List<Scored> s, int label) {
    return s.stream().mapToDouble(x -> x.predicted()[label]).average().orElse(Double.NaN);
  }

  /** Probability that a random spiral scores above a random non-spiral (ties count half). */
  private static double auc(List<Scored> positives, List<Scored> negatives, int label) {
    double wins = 0;
    for (Scored p : positives) {
      for (Scored n : negatives) {
        float a = p.predicted()[label];
        float b = n.predicted()[label];
        wins += a > b ? 1 : a == b ? 0.5 : 0;
      }
    }
    return wins / ((double) positives.size() * negatives.size());
  }
}
