// DJL's random streams for bench/fidelity.sh, and the DJL half of its step-by-step comparison
// (--steps). For a gz train config it draws what GalaxyTrainer draws: the initial parameters
// (Networks.build initialised by a Trainer after the engine is seeded with train.seed), the batches
// of the training reader's seeded shuffle, epoch after epoch until <images> are seen, and the engine
// seed set before each batch (dropout). It writes them for bench/fidelity_train.py --streams: init.npz (the parameters
// in the network's order) and batches.csv (per batch: engine seed, then the galaxy ids). As DJL's
// PyTorch engine is libtorch, the same seed gives PyTorch the same dropout masks.
// With <steps> > 0 it also trains the first <steps> batches as GalaxyTrainer.trainStep does
// (Loss.l2Loss("mse", 1f), gz's Adam at the config's constant rate) and writes each loss to
// djl-steps.csv: with the same weights, batches and masks, any difference from PyTorch's losses is
// a difference in the model, loss or optimiser.
// Run (after ./gz has built the project):
//   java -cp "$(cat pipelines/target/gz.classpath):pipelines/target/classes" bench/FidelityStreams.java \
//     <config.yaml> <out folder> <images> <steps>
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.model.config.TrainConfig;
import org.gzpipelines.model.data.GalaxyBatchReader;
import org.gzpipelines.model.data.HostBatch;
import org.gzpipelines.model.data.Seeds;
import org.gzpipelines.model.data.ShardCheck;
import org.gzpipelines.model.data.ShardSet;
import org.gzpipelines.model.net.Networks;
import org.gzpipelines.model.train.LearningRates;

public class FidelityStreams {
  public static void main(String[] a) throws IOException {
    TrainConfig c = ExperimentConfigFile.load(Path.of(a[0])).section("train", TrainConfig.class);
    Path out = Files.createDirectories(Path.of(a[1]));
    long images = Long.parseLong(a[2]);
    int steps = Integer.parseInt(a[3]);
    TrainConfig.Augment aug = c.augment;
    if (aug.rotate90 || aug.flip || aug.brightness > 0 || aug.colour > 0 || aug.noise > 0
        || !"adam".equals(c.optimizer.name) || !"constant".equals(c.schedule.name)) {
      throw new IllegalArgumentException("fidelity runs have no augmentation and Adam at a constant rate");
    }
    ShardSet train = ShardCheck.split(Path.of(c.data), "train");
    Engine.getInstance().setRandomSeed((int) c.seed);
    try (Model model = Model.newInstance("fidelity", Device.cpu(), "PyTorch")) {
      model.setBlock(Networks.build(c));
      Optimizer adam = LearningRates.optimizer(c, LearningRates.schedule(c, 1)); // constant: no step count needed
      GalaxyBatchReader.Options options = new GalaxyBatchReader.Options(
          c.batchSize, true, c.reader.shuffleBuffer, c.seed, c.reader.prefetch, 0);
      try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss("mse", 1f)).optOptimizer(adam));
          PrintWriter batchLines = new PrintWriter(Files.newBufferedWriter(out.resolve("batches.csv")));
          PrintWriter losses = new PrintWriter(Files.newBufferedWriter(out.resolve("djl-steps.csv")))) {
        losses.println("step,loss");
        int done = 0;
        long seen = 0;
        for (int epoch = 0; seen < images; epoch++) {
          try (GalaxyBatchReader reader = GalaxyBatchReader.open(train, options, epoch, 0)) {
            while (reader.hasNext() && seen < images) {
              HostBatch batch = reader.next();
              if (done == 0) {
                trainer.initialize(new Shape(1, batch.channels(), batch.height(), batch.width()));
                writeParameters(model, out.resolve("init.npz"));
              }
              done++;
              seen += batch.size();
              int seed = (int) Seeds.mix(c.seed, batch.epoch(), batch.index()); // as GalaxyTrainer.trainStep
              batchLines.println(seed + "," + Arrays.stream(batch.ids()).mapToObj(Long::toString)
                  .collect(Collectors.joining(" ")));
              if (done <= steps) {
                Engine.getInstance().setRandomSeed(seed);
                losses.println(String.format(Locale.ROOT, "%d,%.8g", done, trainStep(trainer, batch)));
              }
            }
          }
        }
      }
    }
  }

  /** GalaxyTrainer.trainStep without augmentation; returns the batch's loss before the update. */
  static float trainStep(Trainer trainer, HostBatch batch) {
    try (NDManager m = trainer.getManager().newSubManager()) {
      NDArray labels = batch.labels(m);
      float loss;
      try (GradientCollector gc = trainer.newGradientCollector()) {
        NDList predictions = trainer.forward(new NDList(batch.images(m)), new NDList(labels));
        NDArray l = trainer.getLoss().evaluate(new NDList(labels), predictions);
        gc.backward(l);
        loss = l.getFloat();
      }
      trainer.step();
      return loss;
    }
  }

  /** The initial parameters, named as DJL names them, in the network's order. */
  static void writeParameters(Model model, Path file) throws IOException {
    NDList init = new NDList();
    for (var p : model.getBlock().getParameters()) {
      NDArray x = p.getValue().getArray().duplicate();
      x.setName(p.getKey());
      init.add(x);
    }
    try (OutputStream os = Files.newOutputStream(file)) {
      init.encode(os, NDList.Encoding.NPZ);
    }
  }
}
