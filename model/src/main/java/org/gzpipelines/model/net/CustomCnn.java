package org.gzpipelines.model.net;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import org.gzpipelines.model.config.TrainConfig;

/**
 * The configurable small CNN: for each entry of {@code filters} a same-padded convolution, optional
 * batch norm, ReLU and a pooling layer; then dense layers with ReLU and dropout; then a linear
 * layer of {@code outputs} units.
 */
public final class CustomCnn {

  private CustomCnn() {}

  public static SequentialBlock build(TrainConfig.CustomCnn c, int outputs) {
    SequentialBlock net = new SequentialBlock();
    Shape pool = new Shape(c.poolSize, c.poolSize);
    for (int filters : c.filters) {
      net.add(Conv2d.builder()
          .setFilters(filters)
          .setKernelShape(new Shape(c.kernel, c.kernel))
          .optPadding(new Shape(c.kernel / 2, c.kernel / 2))
          .build());
      if (c.batchNorm) {
        net.add(BatchNorm.builder().build());
      }
      net.add(Activation::relu);
      net.add("avg".equals(c.pooling) ? Pool.avgPool2dBlock(pool, pool) : Pool.maxPool2dBlock(pool, pool));
    }
    net.add(Blocks.batchFlattenBlock());
    for (int units : c.dense) {
      net.add(Linear.builder().setUnits(units).build()).add(Activation::relu);
      if (c.dropout > 0) {
        net.add(Dropout.builder().optRate(c.dropout).build());
      }
    }
    net.add(Linear.builder().setUnits(outputs).build());
    return net;
  }
}
