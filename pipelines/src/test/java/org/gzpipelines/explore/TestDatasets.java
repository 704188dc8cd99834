package org.gzpipelines.explore;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.gzpipelines.model.data.Manifest;
import org.gzpipelines.model.testing.GalaxyShardWriter;
import org.gzpipelines.schemas.DeadLetter;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Split;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.gzpipelines.taxonomy.Question;

/** Writes small ingested datasets (the ingest stage's output contract) with random content. */
final class TestDatasets {
  private TestDatasets() {}

  /**
   * Label vectors that satisfy the decision tree: per question, Dirichlet(1) conditional
   * probabilities multiplied by the parent's value (Q6 sums to 1, as in the Kaggle labels).
   */
  static float[] treeLabels(Random random) {
    float[] labels = new float[GalaxyZooTaxonomy.ANSWER_COUNT];
    for (Question q : GalaxyZooTaxonomy.questions()) {
      double parent = q.expectedSum(labels);
      double[] w = new double[q.size()];
      double sum = 0;
      for (int i = 0; i < w.length; i++) {
        w[i] = -Math.log(1 - random.nextDouble());
        sum += w[i];
      }
      for (int i = 0; i < w.length; i++) {
        labels[q.firstIndex() + i] = (float) (parent * w[i] / sum);
      }
    }
    return labels;
  }

  static Galaxy galaxy(long id, Split split, int size, boolean labelled, int copyIndex, Random random) {
    byte[] pixels = new byte[size * size * 3];
    // A bright blob on dark sky, so the images look like something in the report.
    double cx = size / 2.0 + random.nextGaussian() * 2;
    double cy = size / 2.0 + random.nextGaussian() * 2;
    double r = size / 6.0 + random.nextDouble() * size / 6.0;
    int[] tint = {150 + random.nextInt(100), 150 + random.nextInt(100), 150 + random.nextInt(100)};
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double d2 = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (r * r);
        for (int c = 0; c < 3; c++) {
          double v = tint[c] * Math.exp(-d2) + random.nextInt(20);
          pixels[(y * size + x) * 3 + c] = (byte) Math.min(255, (int) v);
        }
      }
    }
    List<Float> labels = null;
    if (labelled) {
      labels = new ArrayList<>();
      for (float f : treeLabels(random)) {
        labels.add(f);
      }
    }
    return Galaxy.newBuilder().setGalaxyId(id).setLabels(labels).setHeight(size).setWidth(size)
        .setChannels(3).setPixels(ByteBuffer.wrap(pixels)).setSplit(split)
        .setRotationDegrees(copyIndex * 90f).setFlipped(false).setCopyIndex(copyIndex).build();
  }

  /**
   * Writes {@code <dir>/{train,val,test}/part-0000N.avro}, a dead-letter shard and a manifest.
   * Train records get {@code copies} augmented copies each (copyIndex 1..copies).
   */
  static void writeIngested(Path dir, int train, int val, int test, int copies, int deadLetters,
      int size, int shards, long seed) throws IOException {
    Random random = new Random(seed);
    long id = 100000;
    writeSplit(dir.resolve("train"), Split.TRAIN, train, copies, size, shards, random, id, true);
    id += train;
    writeSplit(dir.resolve("val"), Split.VAL, val, 0, size, shards, random, id, true);
    id += val;
    if (test > 0) {
      writeSplit(dir.resolve("test"), Split.TEST, test, 0, size, 1, random, id, false);
    }
    Files.createDirectories(dir.resolve("dead-letter"));
    try (DataFileWriter<DeadLetter> w = new DataFileWriter<>(new SpecificDatumWriter<>(DeadLetter.class))) {
      w.create(DeadLetter.getClassSchema(), dir.resolve("dead-letter/part-00000.avro").toFile());
      for (int i = 0; i < deadLetters; i++) {
        w.append(DeadLetter.newBuilder().setSource("images/" + (900000 + i) + ".jpg")
            .setId(String.valueOf(900000 + i)).setReason("not a JPEG: truncated file").build());
      }
    }
    // The fields of the ingest stage's manifest that explore reads, and the shards it checks.
    Files.writeString(dir.resolve("manifest.json"), """
        {"images": "originals", "labels": "labels.csv",
         "parameters": {"labelled": true, "expectedSize": %d, "cropSize": %d, "outputSize": %d},
         "records": {"TRAIN": %d, "VAL": %d, "TEST": %d}, "deadLetterTotal": %d, "shards": %s}
        """.formatted(4 * size, 2 * size, size, train * (copies + 1), val, test, deadLetters,
        new ObjectMapper().writeValueAsString(Manifest.measureShards(dir))));
  }

  /** Writes {@code <dir>/originals/<id>.jpg} for the given ids: 4x larger, as the raw input would be. */
  static void writeOriginals(Path dir, long firstId, int count, int size) throws IOException {
    Path folder = Files.createDirectories(dir.resolve("originals"));
    Random random = new Random(firstId);
    for (long id = firstId; id < firstId + count; id++) {
      Galaxy g = galaxy(id, Split.TRAIN, 4 * size, false, 0, random);
      java.awt.image.BufferedImage image =
          new java.awt.image.BufferedImage(4 * size, 4 * size, java.awt.image.BufferedImage.TYPE_INT_RGB);
      byte[] p = g.getPixels().array();
      for (int y = 0; y < 4 * size; y++) {
        for (int x = 0; x < 4 * size; x++) {
          int o = (y * 4 * size + x) * 3;
          image.setRGB(x, y, ((p[o] & 0xff) << 16) | ((p[o + 1] & 0xff) << 8) | (p[o + 2] & 0xff));
        }
      }
      javax.imageio.ImageIO.write(image, "jpg", folder.resolve(id + ".jpg").toFile());
    }
  }

  private static void writeSplit(Path folder, Split split, int count, int copies, int size, int shards,
      Random random, long firstId, boolean labelled) throws IOException {
    try (GalaxyShardWriter w = new GalaxyShardWriter(folder, shards, GalaxyShardWriter.NUMBERED,
        GalaxyShardWriter.DEFAULT_SYNC_INTERVAL)) {
      for (int i = 0; i < count; i++) {
        Galaxy original = galaxy(firstId + i, split, size, labelled, 0, random);
        w.append(i, original);
        for (int k = 1; k <= copies; k++) {
          w.append(i, Galaxy.newBuilder(original).setCopyIndex(k).setRotationDegrees(k * 90f).build());
        }
      }
    }
  }
}
