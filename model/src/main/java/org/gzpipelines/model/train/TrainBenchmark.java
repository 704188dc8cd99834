package org.gzpipelines.model.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.gzpipelines.model.config.TrainConfig;
import org.gzpipelines.model.data.GalaxyBatchReader;
import org.gzpipelines.model.data.HostBatch;
import org.gzpipelines.model.data.ShardSet;
import org.gzpipelines.model.net.Networks;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Split;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;

/**
 * Measurements behind {@code gz bench-train}: training and inference images/s of a network on
 * random data (the same step as {@link GalaxyTrainer}: per-batch NDManager, uint8 HWC to float NCHW
 * in the engine, MSE loss, Adam), and the batch reader's images/s from Avro shards.
 */
public final class TrainBenchmark {

  /** One measurement. */
  public record Throughput(String what, int batchSize, long parameters, double imagesPerSecond, double peakRssMib,
      double imagesPerCpuSecond) {
    Throughput(String what, int batchSize, long parameters, double imagesPerSecond, double peakRssMib) {
      this(what, batchSize, parameters, imagesPerSecond, peakRssMib, Double.NaN);
    }
  }

  private TrainBenchmark() {}

  /** Training images/s after {@code warmup} untimed steps. */
  public static Throughput training(TrainConfig c, int batchSize, int height, int width, int warmup, int steps) {
    Engine.getInstance().setRandomSeed(1);
    try (Model model = Model.newInstance("bench", Device.cpu(), "PyTorch")) {
      model.setBlock(Networks.build(c));
      // gz train's optimiser (PyTorch's Adam on DJL's native kernel) and loss, so the steps timed are its steps.
      DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.l2Loss("mse", 1f))
          .optOptimizer(LearningRates.optimizer(c, LearningRates.schedule(c, warmup + steps)));
      try (Trainer trainer = model.newTrainer(tc)) {
        trainer.initialize(new Shape(1, 3, height, width));
        HostBatch batch = randomBatch(batchSize, height, width, 3);
        long start = 0;
        for (int i = 0; i < warmup + steps; i++) {
          if (i == warmup) {
            start = System.nanoTime();
          }
          try (NDManager m = trainer.getManager().newSubManager()) {
            NDArray x = batch.images(m);
            NDArray y = batch.labels(m);
            try (GradientCollector gc = trainer.newGradientCollector()) {
              NDArray loss = trainer.getLoss().evaluate(new NDList(y), trainer.forward(new NDList(x)));
              gc.backward(loss);
              loss.getFloat();
            }
            trainer.step();
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Throughput("train " + c.architecture, batchSize, Networks.trainableParameters(model.getBlock()),
            (double) steps * batchSize / seconds, PeakMemory.peakRssMib());
      }
    }
  }

  /** Inference images/s through a Predictor, a fresh manager per batch. */
  public static Throughput inference(TrainConfig c, int batchSize, int height, int width, int warmup, int steps) {
    try (Model model = Model.newInstance("bench", Device.cpu(), "PyTorch")) {
      model.setBlock(Networks.build(c));
      model.getBlock().initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 3, height, width));
      HostBatch batch = randomBatch(batchSize, height, width, 3);
      try (Predictor<NDList, NDList> p = model.newPredictor(new NoopTranslator(null))) {
        long start = 0;
        for (int i = 0; i < warmup + steps; i++) {
          if (i == warmup) {
            start = System.nanoTime();
          }
          try (NDManager m = model.getNDManager().newSubManager()) {
            p.predict(new NDList(batch.images(m))).singletonOrThrow().toFloatArray();
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Throughput("infer " + c.architecture, batchSize, Networks.trainableParameters(model.getBlock()),
            (double) steps * batchSize / seconds, PeakMemory.peakRssMib());
      } catch (TranslateException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Writes {@code images} random galaxies into a few shards of {@code dir}/train. */
  public static ShardSet writeRandomShards(Path dir, int images, int height, int width, int shards) throws IOException {
    Path train = Files.createDirectories(dir.resolve("train"));
    Random rnd = new Random(3);
    for (int s = 0; s < shards; s++) {
      try (DataFileWriter<Galaxy> w = new DataFileWriter<>(new SpecificDatumWriter<>(Galaxy.class))) {
        w.create(Galaxy.getClassSchema(), train.resolve(String.format("part-%05d.avro", s)).toFile());
        for (int i = s; i < images; i += shards) {
          byte[] px = new byte[height * width * 3];
          rnd.nextBytes(px);
          java.util.List<Float> labels = new java.util.ArrayList<>();
          for (int j = 0; j < GalaxyZooTaxonomy.ANSWER_COUNT; j++) {
            labels.add(rnd.nextFloat());
          }
          w.append(Galaxy.newBuilder().setGalaxyId(i).setLabels(labels).setHeight(height).setWidth(width)
              .setChannels(3).setPixels(ByteBuffer.wrap(px)).setSplit(Split.TRAIN).build());
        }
      }
    }
    return ShardSet.of(dir, "train");
  }

  /**
   * Reader images/s for one shuffled epoch; with {@code toTensors} each batch also becomes the
   * float NCHW tensor the network gets (as in training).
   */
  public static Throughput reader(ShardSet shards, int batchSize, boolean toTensors) {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = os.getProcessCpuTime();
    long start = System.nanoTime();
    long n = 0;
    GalaxyBatchReader.Options o = new GalaxyBatchReader.Options(batchSize, true, 4096, 1, 4, 0);
    try (GalaxyBatchReader r = GalaxyBatchReader.open(shards, o, 0, 0); NDManager base = NDManager.newBaseManager()) {
      while (r.hasNext()) {
        HostBatch b = r.next();
        if (toTensors) {
          try (NDManager m = base.newSubManager()) {
            b.images(m).getFloat(0, 0, 0, 0);
          }
        }
        n += b.size();
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    // CPU seconds of the whole process (reader thread, consumer, GC): images per core-second
    // stays meaningful on a shared, loaded machine where wall time does not.
    double cpuSeconds = (os.getProcessCpuTime() - cpuStart) / 1e9;
    return new Throughput(toTensors ? "reader + to tensor" : "reader", batchSize, 0, n / seconds,
        PeakMemory.peakRssMib(), n / cpuSeconds);
  }

  static HostBatch randomBatch(int n, int h, int w, int c) {
    Random rnd = new Random(5);
    byte[] px = new byte[n * h * w * c];
    rnd.nextBytes(px);
    float[] labels = new float[n * GalaxyZooTaxonomy.ANSWER_COUNT];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = rnd.nextFloat();
    }
    return new HostBatch(n, h, w, c, px, labels, new long[n], 0, 0);
  }
}
