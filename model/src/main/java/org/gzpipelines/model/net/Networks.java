package org.gzpipelines.model.net;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;
import org.gzpipelines.model.config.TrainConfig;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;

/** Builds the network a {@link TrainConfig} names: body plus output head, 37 outputs. */
public final class Networks {

  private Networks() {}

  /** The full network (not initialised). Not for {@code mean-baseline}, which has no network. */
  public static Block build(TrainConfig c) {
    int outputs = GalaxyZooTaxonomy.ANSWER_COUNT;
    SequentialBlock body = switch (c.architecture) {
      case CUSTOM_CNN -> CustomCnn.build(c.customCnn, outputs);
      case RESNET18 -> ResNet.build(ResNet.RESNET18, outputs, "small".equals(c.resnet.stem));
      case RESNET34 -> ResNet.build(ResNet.RESNET34, outputs, "small".equals(c.resnet.stem));
      case MEAN_BASELINE -> throw new IllegalArgumentException("mean-baseline has no network to build");
    };
    return switch (c.head) {
      case SIGMOID -> body.add(Activation::sigmoid);
      case DECISION_TREE -> body.add(new DecisionTreeHead());
    };
  }

  /** Number of trainable values of an initialised block (running statistics of BN excluded). */
  public static long trainableParameters(Block block) {
    long n = 0;
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (p.getValue().requiresGradient()) {
        n += p.getValue().getArray().size();
      }
    }
    return n;
  }
}
