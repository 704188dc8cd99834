package org.gzpipelines.model.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Split;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.gzpipelines.taxonomy.Question;

/**
 * A tiny learnable Galaxy Zoo stand-in for tests: each image is one Gaussian blob whose
 * brightness, size and elongation are three latent values, and the 37 labels are a fixed function
 * of them that satisfies the decision-tree sums (a softmax per question multiplied down the tree),
 * so a network can learn them from the pixels while the mean baseline cannot.
 */
public final class SyntheticShards {

  /** The latent values the labels are a function of: brightness, size, elongation, 1. */
  public static final int LATENTS = 4;
  private final double[][] weights;
  private final int size;

  public SyntheticShards(int size) {
    this.size = size;
    weights = latentWeights(7);
  }

  /** Writes {@code <dir>/train} and {@code <dir>/val} with the given counts, several shards each. */
  public Path write(Path dir, int train, int val, long seed) throws IOException {
    writeSplit(dir.resolve("train"), Split.TRAIN, train, 3, seed);
    writeSplit(dir.resolve("val"), Split.VAL, val, 2, seed + 1);
    GalaxyShardWriter.writeManifest(dir, "SyntheticShards", size, Map.of("TRAIN", (long) train, "VAL", (long) val));
    return dir;
  }

  public List<Galaxy> galaxies(Split split, int n, long seed) {
    Random rnd = new Random(seed);
    List<Galaxy> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(galaxy(seed * 1_000_000 + i, split, rnd));
    }
    return out;
  }

  private void writeSplit(Path dir, Split split, int n, int shards, long seed) throws IOException {
    GalaxyShardWriter.write(dir, galaxies(split, n, seed), shards, 16 * 1024); // several blocks a shard
  }

  private Galaxy galaxy(long id, Split split, Random rnd) {
    double brightness = rnd.nextDouble();
    double extent = rnd.nextDouble();
    double elongation = rnd.nextDouble();
    double sx = size * (0.08 + 0.17 * extent);
    double sy = sx * (1 - 0.7 * elongation);
    boolean vertical = rnd.nextBoolean();
    double cx = (size - 1) / 2.0 + rnd.nextGaussian();
    double cy = (size - 1) / 2.0 + rnd.nextGaussian();
    double[] image = new double[size * size];
    blob(image, size, cx, cy, vertical ? sy : sx, vertical ? sx : sy, 0, 60 + 190 * brightness);
    List<Float> labels = floats(treeLabels(weights, new double[] {brightness, extent, elongation, 1}, q -> null));
    return galaxy(id, split, size, rgb(image, rnd), labels);
  }

  // The building blocks, shared with the pipelines tests' MergerSky (gz-model's test-jar).

  /** Fixed random weights (one row of {@link #LATENTS} per answer) for {@link #treeLabels}. */
  public static double[][] latentWeights(long seed) {
    Random w = new Random(seed);
    double[][] weights = new double[GalaxyZooTaxonomy.ANSWER_COUNT][LATENTS];
    for (double[] row : weights) {
      for (int j = 0; j < LATENTS; j++) {
        row[j] = w.nextGaussian() * 2.5;
      }
    }
    return weights;
  }

  /**
   * Tree-consistent labels: each question's answer shares (a softmax of linear functions of the
   * latents {@code z}, unless {@code override} gives the shares) times the parent answer's value.
   */
  public static double[] treeLabels(double[][] weights, double[] z, Function<Question, double[]> override) {
    double[] out = new double[GalaxyZooTaxonomy.ANSWER_COUNT];
    for (Question q : GalaxyZooTaxonomy.questions()) {
      double[] share = override.apply(q);
      if (share == null) {
        share = softmax(weights, q, z);
      }
      double parent = q.parent().map(p -> out[p.index()]).orElse(1.0);
      for (int a = 0; a < q.size(); a++) {
        out[q.firstIndex() + a] = parent * share[a];
      }
    }
    return out;
  }

  /** Question {@code q}'s answer shares: softmax of the answers' weights times the latents. */
  public static double[] softmax(double[][] weights, Question q, double[] z) {
    double[] share = new double[q.size()];
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
    return share;
  }

  /** Adds a Gaussian blob (sigmas sx, sy along axes turned by {@code angle}) to a size x size image. */
  public static void blob(double[] image, int size, double cx, double cy, double sx, double sy, double angle,
      double peak) {
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

  /** RGB bytes (HWC) of a brightness image: slightly redder than blue, with noise and a faint sky. */
  public static byte[] rgb(double[] image, Random rnd) {
    byte[] px = new byte[image.length * 3];
    for (int i = 0; i < image.length; i++) {
      for (int ch = 0; ch < 3; ch++) {
        double v = image[i] * (1 - 0.15 * ch) + rnd.nextGaussian() * 4 + 8;
        px[i * 3 + ch] = (byte) Math.max(0, Math.min(255, Math.round(v)));
      }
    }
    return px;
  }

  /** A size x size, 3-channel original record (copy 0). */
  public static Galaxy galaxy(long id, Split split, int size, byte[] rgb, List<Float> labels) {
    return Galaxy.newBuilder()
        .setGalaxyId(id)
        .setLabels(labels)
        .setHeight(size)
        .setWidth(size)
        .setChannels(3)
        .setPixels(ByteBuffer.wrap(rgb))
        .setSplit(split)
        .build();
  }

  public static List<Float> floats(double[] values) {
    List<Float> l = new ArrayList<>(values.length);
    for (double v : values) {
      l.add((float) v);
    }
    return l;
  }
}
