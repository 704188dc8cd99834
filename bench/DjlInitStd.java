// The standard deviation of each parameter of the demo CNN as DJL initialises it (Networks.build
// and a Trainer, as GalaxyTrainer does), against the sqrt(2 / fan-in) that bench/fidelity_train.py
// gives the PyTorch side. docs/BENCHMARKS.md, "Fidelity to PyTorch". Run (after ./gz has built the
// project):
//   java -cp "$(cat pipelines/target/gz.classpath):pipelines/target/classes" bench/DjlInitStd.java
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.util.List;
import org.gzpipelines.model.config.TrainConfig;
import org.gzpipelines.model.net.Networks;

public class DjlInitStd {
  public static void main(String[] a) {
    TrainConfig c = new TrainConfig();
    c.customCnn.filters = List.of(16, 32, 64);
    c.customCnn.dense = List.of(64);
    c.customCnn.dropout = 0.25f;
    Engine.getInstance().setRandomSeed(1);
    try (Model m = Model.newInstance("x", Device.cpu(), "PyTorch")) {
      m.setBlock(Networks.build(c));
      try (Trainer t = m.newTrainer(new DefaultTrainingConfig(Loss.l2Loss("mse", 1f)))) {
        t.initialize(new Shape(1, 3, 69, 69));
        for (var p : m.getBlock().getParameters()) {
          NDArray x = p.getValue().getArray();
          float std = x.sub(x.mean()).square().mean().sqrt().getFloat();
          long fanIn = x.getShape().dimension() > 1 ? x.getShape().size() / x.getShape().get(0) : 0;
          System.out.printf("%s %s std %.4f%s%n", p.getKey(), x.getShape(), std,
              fanIn > 0 ? String.format(", sqrt(2 / fan-in) %.4f", Math.sqrt(2.0 / fanIn)) : "");
        }
      }
    }
  }
}
