package org.gzpipelines.model.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import org.gzpipelines.model.config.TrainConfig;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.gzpipelines.taxonomy.Question;
import org.junit.jupiter.api.Test;

class NetworksTest {

  static long parameters(TrainConfig c, Shape input) {
    try (NDManager m = NDManager.newBaseManager()) {
      Block b = Networks.build(c);
      b.initialize(m, DataType.FLOAT32, input);
      return Networks.trainableParameters(b);
    }
  }

  static TrainConfig config(TrainConfig.Architecture a) {
    TrainConfig c = new TrainConfig();
    c.architecture = a;
    return c;
  }

  @Test
  void resnet18IsTheStandardElevenMillionParameterNetwork() {
    // torchvision resnet18: 11,689,512 with a 1000-way fc; with a 37-way head 11,195,493.
    for (Shape input : new Shape[] {new Shape(1, 3, 64, 64), new Shape(1, 3, 69, 69)}) {
      long n = parameters(config(TrainConfig.Architecture.RESNET18), input);
      assertEquals(11_195_493, n, 0.01 * 11_190_000, "resnet18 at " + input);
      assertEquals(11_195_493, n); // exactly torchvision's count
    }
    TrainConfig small = config(TrainConfig.Architecture.RESNET18);
    small.resnet.stem = "small";
    // 3x3 instead of 7x7 stem conv: 64*3*(49-9) fewer weights.
    assertEquals(11_195_493 - 64 * 3 * 40, parameters(small, new Shape(1, 3, 64, 64)));
  }

  @Test
  void resnet34HasTorchvisionsCount() {
    // torchvision resnet34: 21,797,672 with 1000 classes -> minus 513,000 plus 18,981.
    assertEquals(21_797_672 - 513_000 + 18_981, parameters(config(TrainConfig.Architecture.RESNET34), new Shape(1, 3, 64, 64)));
  }

  @Test
  void customCnnFollowsItsConfig() {
    TrainConfig c = config(TrainConfig.Architecture.CUSTOM_CNN);
    c.customCnn.filters = java.util.List.of(8, 16);
    c.customCnn.dense = java.util.List.of(32);
    // conv 3->8 (3*3*3*8+8) + conv 8->16 (3*3*8*16+16) + dense 16*4*4->32 + 32->37
    long expected = (27 * 8 + 8) + (72 * 16 + 16) + (256 * 32 + 32) + (32 * 37 + 37);
    assertEquals(expected, parameters(c, new Shape(1, 3, 16, 16)));
  }

  @Test
  void decisionTreeHeadSatisfiesTheTreeSumsExactly() {
    try (NDManager m = NDManager.newBaseManager()) {
      DecisionTreeHead head = new DecisionTreeHead();
      NDArray logits = m.randomNormal(0, 3, new Shape(50, 37), DataType.FLOAT32);
      head.initialize(m, DataType.FLOAT32, logits.getShape());
      NDArray out = head.forward(new ai.djl.training.ParameterStore(m, false), new NDList(logits), false).singletonOrThrow();
      float[] v = out.toFloatArray();
      for (int i = 0; i < 50; i++) {
        float[] row = new float[37];
        System.arraycopy(v, i * 37, row, 0, 37);
        for (Question q : GalaxyZooTaxonomy.questions()) {
          assertEquals(q.expectedSum(row), q.sum(row), 1e-6, q.label() + " of row " + i);
        }
        for (float x : row) {
          assertTrue(x >= 0 && x <= 1);
        }
      }
    }
  }

  @Test
  void gradientsFlowThroughTheDecisionTreeHead() {
    try (Model model = Model.newInstance("tree")) {
      SequentialBlock net = new SequentialBlock().add(Linear.builder().setUnits(37).build()).add(new DecisionTreeHead());
      model.setBlock(net);
      try (Trainer t = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss("mse", 1f)))) {
        t.initialize(new Shape(8, 5));
        NDManager m = t.getManager();
        NDArray x = m.randomNormal(new Shape(8, 5));
        NDArray y = m.randomUniform(0, 1, new Shape(8, 37));
        try (GradientCollector gc = t.newGradientCollector()) {
          NDArray loss = t.getLoss().evaluate(new NDList(y), t.forward(new NDList(x)));
          gc.backward(loss);
        }
        NDArray grad = net.getChildren().get(0).getValue().getParameters().get("weight").getArray().getGradient();
        float[] g = grad.toFloatArray();
        long nonZero = java.util.stream.IntStream.range(0, g.length).filter(i -> Math.abs(g[i]) > 1e-9).count();
        assertTrue(nonZero > g.length * 0.9, nonZero + " of " + g.length + " gradients are non-zero");
      }
    }
  }

  @Test
  void mseLossIsTheFullMeanSquaredErrorAndDefaultL2IsHalf() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray pred = m.create(new float[] {0.1f, 0.5f, 0.9f, 0.3f}, new Shape(2, 2));
      NDArray label = m.create(new float[] {0.2f, 0.1f, 0.4f, 0.3f}, new Shape(2, 2));
      double mse = (0.01 + 0.16 + 0.25 + 0) / 4;
      assertEquals(mse, Loss.l2Loss("mse", 1f).evaluate(new NDList(label), new NDList(pred)).getFloat(), 1e-7);
      assertEquals(mse / 2, Loss.l2Loss().evaluate(new NDList(label), new NDList(pred)).getFloat(), 1e-7);
    }
  }
}
