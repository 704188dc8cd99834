package org.gzpipelines.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.gzpipelines.model.testing.GalaxyShardWriter;
import org.gzpipelines.model.testing.SyntheticShards;
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

  private static final int MERGER = GalaxyZooTaxonomy.answer("Class8.6").index();
  private final double[][] weights;
  private final int size;

  public MergerSky(int size) {
    this.size = size;
    weights = SyntheticShards.latentWeights(11);
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
    // A real manifest: a model trained here records its preprocessing, so gz mergers can prepare raw images.
    GalaxyShardWriter.writeManifest(dir, "MergerSky", size, Map.of("TRAIN", (long) train, "VAL", (long) val,
        "TEST", (long) test));
    return dir;
  }

  /**
   * The same galaxies, unlabelled, on a brighter, noisier sky (25 grey levels up, Gaussian noise of
   * 12): what a model trained on a clean synthetic sky meets in real survey images.
   */
  public static List<Galaxy> onANoisierSky(List<Galaxy> galaxies, long seed) {
    Random noise = new Random(seed);
    List<Galaxy> out = new ArrayList<>(galaxies.size());
    for (Galaxy g : galaxies) {
      java.nio.ByteBuffer in = g.getPixels().duplicate();
      byte[] px = new byte[in.remaining()];
      for (int i = 0; i < px.length; i++) {
        double v = (in.get(in.position() + i) & 0xff) + 25 + 12 * noise.nextGaussian();
        px[i] = (byte) Math.max(0, Math.min(255, Math.round(v)));
      }
      out.add(Galaxy.newBuilder(g).setPixels(java.nio.ByteBuffer.wrap(px)).setLabels(null).build());
    }
    return out;
  }

  public static double mergerVote(Galaxy g) {
    return g.getLabels().get(MERGER);
  }

  private static void writeSplit(Path dir, List<Galaxy> galaxies, int shards) throws IOException {
    GalaxyShardWriter.write(dir, galaxies, shards, GalaxyShardWriter.DEFAULT_SYNC_INTERVAL);
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
      SyntheticShards.blob(image, size, c + sep * Math.cos(angle), c + sep * Math.sin(angle),
          size * 0.09, size * 0.09, 0, 200);
      SyntheticShards.blob(image, size, c - sep * Math.cos(angle), c - sep * Math.sin(angle),
          size * 0.07, size * 0.07, 0, 120 + 80 * brightness);
    } else {
      double sx = size * (0.08 + 0.14 * extent);
      SyntheticShards.blob(image, size, c + rnd.nextGaussian(), c + rnd.nextGaussian(), sx,
          sx * (1 - 0.7 * elongation), rnd.nextDouble() * Math.PI, 60 + 190 * brightness);
    }
    byte[] px = SyntheticShards.rgb(image, rnd);
    double[] z = {brightness, extent, elongation, 1};
    double[] labels = SyntheticShards.treeLabels(weights, z, q -> mergerShares(q, merger, z, rnd));
    return SyntheticShards.galaxy(id, split, size, px, SyntheticShards.floats(labels));
  }

  /**
   * Q6 (odd) and Q8's merger share are set by whether it is a merger: Q6's "yes" is 0.55-1 for a
   * merger and below 0.15 otherwise; Q8's merger answer takes 0.82-0.97 of the odd votes for a
   * merger and below 0.3 otherwise, the other answers keeping their softmax proportions. Null (the
   * plain softmax) for the other questions.
   */
  private double[] mergerShares(Question q, boolean merger, double[] z, Random rnd) {
    if (q.number() == 6) {
      double odd = merger ? 0.55 + 0.45 * rnd.nextDouble() : 0.15 * rnd.nextDouble();
      return new double[] {odd, 1 - odd};
    }
    if (q.number() != 8) {
      return null;
    }
    double[] share = SyntheticShards.softmax(weights, q, z);
    int m = MERGER - q.firstIndex();
    double target = merger ? 0.82 + 0.15 * rnd.nextDouble() : 0.3 * rnd.nextDouble();
    double rest = 1 - share[m];
    for (int a = 0; a < q.size(); a++) {
      share[a] = a == m ? target : share[a] / rest * (1 - target);
    }
    return share;
  }
}
