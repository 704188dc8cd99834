package org.gzpipelines.model.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
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

  private static final int LATENTS = 4; // brightness, size, elongation, 1
  private final double[][] weights;
  private final int size;

  public SyntheticShards(int size) {
    this.size = size;
    Random w = new Random(7);
    weights = new double[GalaxyZooTaxonomy.ANSWER_COUNT][LATENTS];
    for (double[] row : weights) {
      for (int j = 0; j < LATENTS; j++) {
        row[j] = w.nextGaussian() * 2.5;
      }
    }
  }

  /** Writes {@code <dir>/train} and {@code <dir>/val} with the given counts, several shards each. */
  public Path write(Path dir, int train, int val, long seed) throws IOException {
    writeSplit(dir.resolve("train"), Split.TRAIN, train, 3, seed);
    writeSplit(dir.resolve("val"), Split.VAL, val, 2, seed + 1);
    Files.writeString(dir.resolve("manifest.json"), "{\"note\":\"synthetic test data\"}\n");
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
    Files.createDirectories(dir);
    List<Galaxy> all = galaxies(split, n, seed);
    for (int s = 0; s < shards; s++) {
      try (DataFileWriter<Galaxy> w = new DataFileWriter<>(new SpecificDatumWriter<>(Galaxy.class))) {
        w.setSyncInterval(16 * 1024); // several blocks a shard
        w.create(Galaxy.getClassSchema(), dir.resolve(String.format("part-%05d-of-%05d.avro", s, shards)).toFile());
        for (int i = s; i < n; i += shards) {
          w.append(all.get(i));
        }
      }
    }
  }

  private Galaxy galaxy(long id, Split split, Random rnd) {
    double brightness = rnd.nextDouble();
    double extent = rnd.nextDouble();
    double elongation = rnd.nextDouble();
    double[] z = {brightness, extent, elongation, 1};
    byte[] px = new byte[size * size * 3];
    double sx = size * (0.08 + 0.17 * extent);
    double sy = sx * (1 - 0.7 * elongation);
    boolean vertical = rnd.nextBoolean();
    double cx = (size - 1) / 2.0 + rnd.nextGaussian();
    double cy = (size - 1) / 2.0 + rnd.nextGaussian();
    double peak = 60 + 190 * brightness;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double dx = (x - cx) / (vertical ? sy : sx);
        double dy = (y - cy) / (vertical ? sx : sy);
        double v = peak * Math.exp(-0.5 * (dx * dx + dy * dy));
        for (int ch = 0; ch < 3; ch++) {
          double pv = v * (1 - 0.15 * ch) + rnd.nextGaussian() * 4 + 8;
          px[(y * size + x) * 3 + ch] = (byte) Math.max(0, Math.min(255, Math.round(pv)));
        }
      }
    }
    return Galaxy.newBuilder()
        .setGalaxyId(id)
        .setLabels(labels(z))
        .setHeight(size)
        .setWidth(size)
        .setChannels(3)
        .setPixels(ByteBuffer.wrap(px))
        .setSplit(split)
        .build();
  }

  /** Tree-consistent labels: per-question softmax of linear functions of the latents, times the parent. */
  private List<Float> labels(double[] z) {
    double[] out = new double[GalaxyZooTaxonomy.ANSWER_COUNT];
    for (Question q : GalaxyZooTaxonomy.questions()) {
      double[] logits = new double[q.size()];
      double max = Double.NEGATIVE_INFINITY;
      for (int a = 0; a < q.size(); a++) {
        double[] w = weights[q.firstIndex() + a];
        for (int j = 0; j < LATENTS; j++) {
          logits[a] += w[j] * z[j];
        }
        max = Math.max(max, logits[a]);
      }
      double sum = 0;
      for (int a = 0; a < q.size(); a++) {
        logits[a] = Math.exp(logits[a] - max);
        sum += logits[a];
      }
      double parent = q.parent().map(p -> out[p.index()]).orElse(1.0);
      for (int a = 0; a < q.size(); a++) {
        out[q.firstIndex() + a] = parent * logits[a] / sum;
      }
    }
    List<Float> l = new ArrayList<>(out.length);
    for (double v : out) {
      l.add((float) v);
    }
    return l;
  }
}
