package org.gzpipelines.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.gzpipelines.model.data.Manifest;
import org.gzpipelines.model.data.Preprocessing;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Split;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.gzpipelines.taxonomy.Question;

/**
 * A small learnable sky for the evaluate and mergers tests, written as an ingested folder
 * (train/, val/, test/ Avro shards + manifest.json): single galaxies are one Gaussian blob
 * (brightness, size, elongation drive the labels through a per-question softmax down the decision
 * tree), mergers are two blobs. A merger's "odd: merger" vote (Class8.6) is at least 0.45 and a
 * single galaxy's below 0.05, so the true merger fraction at a 0.4 threshold is exactly the share of
 * two-blob images. The test split is unlabelled, as the real one is.
 */
public final class MergerSky {

  private static final int LATENTS = 4; // brightness, size, elongation, 1
  private static final int MERGER = GalaxyZooTaxonomy.answer("Class8.6").index();
  private final double[][] weights;
  private final int size;

  public MergerSky(int size) {
    this.size = size;
    Random w = new Random(11);
    weights = new double[GalaxyZooTaxonomy.ANSWER_COUNT][LATENTS];
    for (double[] row : weights) {
      for (int j = 0; j < LATENTS; j++) {
        row[j] = w.nextGaussian() * 2.5;
      }
    }
  }

  /** The galaxies of one split: the first round(n x mergerFraction) are mergers, then shuffled ids. */
  public List<Galaxy> galaxies(Split split, int n, double mergerFraction, long seed) {
    Random rnd = new Random(seed);
    int mergers = (int) Math.round(n * mergerFraction);
    List<Galaxy> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(galaxy(seed * 100_000 + i, split, i < mergers, rnd));
    }
    java.util.Collections.shuffle(out, rnd);
    return out;
  }

  /** Writes train/val (labelled) and test (unlabelled) shards; returns the folder. */
  public Path write(Path dir, int train, int val, int test, double trainMergerFraction, double testMergerFraction)
      throws IOException {
    writeSplit(dir.resolve("train"), galaxies(Split.TRAIN, train, trainMergerFraction, 1), 2);
    writeSplit(dir.resolve("val"), galaxies(Split.VAL, val, trainMergerFraction, 2), 2);
    List<Galaxy> unlabelled = new ArrayList<>();
    for (Galaxy g : galaxies(Split.TEST, test, testMergerFraction, 3)) {
      unlabelled.add(Galaxy.newBuilder(g).setLabels(null).build());
    }
    writeSplit(dir.resolve("test"), unlabelled, 2);
    // A manifest as ingest writes it for images already at the model's size (no crop, no resize),
    // so a model trained here records that preprocessing and gz mergers can prepare raw images.
    new Manifest("MergerSky", null, "", 0, "", new Manifest.Parameters(true, size, size, size,
        Preprocessing.AREA_AVERAGE, 0.8, 0, 0, 0, 150, 2), 0, Map.of("TRAIN", (long) train, "VAL", (long) val,
        "TEST", (long) test), Map.of(), Map.of(), 0, null, null, null, "").write(dir);
    return dir;
  }

  public static double mergerVote(Galaxy g) {
    return g.getLabels().get(MERGER);
  }

  private static void writeSplit(Path dir, List<Galaxy> galaxies, int shards) throws IOException {
    Files.createDirectories(dir);
    for (int s = 0; s < shards; s++) {
      try (DataFileWriter<Galaxy> w = new DataFileWriter<>(new SpecificDatumWriter<>(Galaxy.class))) {
        w.create(Galaxy.getClassSchema(), dir.resolve(String.format("part-%05d-of-%05d.avro", s, shards)).toFile());
        for (int i = s; i < galaxies.size(); i += shards) {
          w.append(galaxies.get(i));
        }
      }
    }
  }

  private Galaxy galaxy(long id, Split split, boolean merger, Random rnd) {
    double brightness = rnd.nextDouble();
    double extent = rnd.nextDouble();
    double elongation = rnd.nextDouble();
    double[] image = new double[size * size];
    double c = (size - 1) / 2.0;
    if (merger) {
      double angle = rnd.nextDouble() * Math.PI;
      double sep = size * (0.16 + 0.06 * rnd.nextDouble());
      blob(image, c + sep * Math.cos(angle), c + sep * Math.sin(angle), size * 0.09, size * 0.09, 0, 200);
      blob(image, c - sep * Math.cos(angle), c - sep * Math.sin(angle), size * 0.07, size * 0.07, 0,
          120 + 80 * brightness);
    } else {
      double sx = size * (0.08 + 0.14 * extent);
      blob(image, c + rnd.nextGaussian(), c + rnd.nextGaussian(), sx, sx * (1 - 0.7 * elongation),
          rnd.nextDouble() * Math.PI, 60 + 190 * brightness);
    }
    byte[] px = new byte[size * size * 3];
    for (int i = 0; i < image.length; i++) {
      for (int ch = 0; ch < 3; ch++) {
        double v = image[i] * (1 - 0.15 * ch) + rnd.nextGaussian() * 4 + 8;
        px[i * 3 + ch] = (byte) Math.max(0, Math.min(255, Math.round(v)));
      }
    }
    return Galaxy.newBuilder()
        .setGalaxyId(id)
        .setLabels(labels(new double[] {brightness, extent, elongation, 1}, merger, rnd))
        .setHeight(size)
        .setWidth(size)
        .setChannels(3)
        .setPixels(ByteBuffer.wrap(px))
        .setSplit(split)
        .build();
  }

  private void blob(double[] image, double cx, double cy, double sx, double sy, double angle, double peak) {
    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double u = ((x - cx) * cos + (y - cy) * sin) / sx;
        double v = (-(x - cx) * sin + (y - cy) * cos) / sy;
        image[y * size + x] += peak * Math.exp(-0.5 * (u * u + v * v));
      }
    }
  }

  /** Tree-consistent labels; Q6 (odd) and Q8's merger share are set by whether it is a merger. */
  private List<Float> labels(double[] z, boolean merger, Random rnd) {
    double[] out = new double[GalaxyZooTaxonomy.ANSWER_COUNT];
    for (Question q : GalaxyZooTaxonomy.questions()) {
      double[] share = new double[q.size()];
      if (q.number() == 6) {
        double odd = merger ? 0.55 + 0.45 * rnd.nextDouble() : 0.15 * rnd.nextDouble();
        share = new double[] {odd, 1 - odd};
      } else {
        double max = Double.NEGATIVE_INFINITY;
        for (int a = 0; a < q.size(); a++) {
          double[] w = weights[q.firstIndex() + a];
          for (int j = 0; j < LATENTS; j++) {
            share[a] += w[j] * z[j];
          }
          max = Math.max(max, share[a]);
        }
        double sum = 0;
        for (int a = 0; a < q.size(); a++) {
          share[a] = Math.exp(share[a] - max);
          sum += share[a];
        }
        for (int a = 0; a < q.size(); a++) {
          share[a] /= sum;
        }
        if (q.number() == 8) { // the merger answer's share of the odd votes
          int m = MERGER - q.firstIndex();
          double target = merger ? 0.82 + 0.15 * rnd.nextDouble() : 0.3 * rnd.nextDouble();
          double rest = 1 - share[m];
          for (int a = 0; a < q.size(); a++) {
            share[a] = a == m ? target : share[a] / rest * (1 - target);
          }
        }
      }
      double parent = q.parent().map(p -> out[p.index()]).orElse(1.0);
      for (int a = 0; a < q.size(); a++) {
        out[q.firstIndex() + a] = parent * share[a];
      }
    }
    List<Float> l = new ArrayList<>(out.length);
    for (double v : out) {
      l.add((float) v);
    }
    return l;
  }
}
