package org.gzpipelines.model.net;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/**
 * The standard ResNet of He et al. 2015 as torchvision builds it (basic blocks; stages of 64, 128,
 * 256, 512 filters), from DJL blocks.
 *
 * <p>Hand-built because DJL's basicmodelzoo {@code ResNetV1} with 18 layers is a narrow variant
 * (0.92 M parameters at 3x64x64), not the 11.2 M-parameter network the literature means.
 */
public final class ResNet {

  /** ResNet-18: two basic blocks per stage. */
  public static final int[] RESNET18 = {2, 2, 2, 2};
  /** ResNet-34: 3, 4, 6, 3 basic blocks. */
  public static final int[] RESNET34 = {3, 4, 6, 3};

  private static final int[] WIDTHS = {64, 128, 256, 512};

  private ResNet() {}

  /**
   * Builds the body and a linear layer of {@code outputs} units (no output activation).
   *
   * @param smallStem a 3x3 stride-1 stem without max-pool instead of torchvision's 7x7 stride-2
   *     conv + 3x3 stride-2 max-pool (a documented config choice for small inputs)
   */
  public static SequentialBlock build(int[] blocksPerStage, int outputs, boolean smallStem) {
    SequentialBlock net = new SequentialBlock();
    if (smallStem) {
      net.add(conv(64, 3, 1, 1));
    } else {
      net.add(conv(64, 7, 2, 3));
    }
    net.add(batchNorm()).add(Activation::relu);
    if (!smallStem) {
      net.add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
    }
    int in = 64;
    for (int stage = 0; stage < WIDTHS.length; stage++) {
      for (int b = 0; b < blocksPerStage[stage]; b++) {
        int stride = stage > 0 && b == 0 ? 2 : 1;
        net.add(basicBlock(WIDTHS[stage], stride, in != WIDTHS[stage] || stride != 1));
        in = WIDTHS[stage];
      }
    }
    net.add(Pool.globalAvgPool2dBlock())
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(outputs).build());
    return net;
  }

  /** conv3x3-BN-ReLU-conv3x3-BN plus the shortcut (1x1 conv + BN where the shape changes), ReLU. */
  private static Block basicBlock(int filters, int stride, boolean project) {
    SequentialBlock main = new SequentialBlock()
        .add(conv(filters, 3, stride, 1))
        .add(batchNorm())
        .add(Activation::relu)
        .add(conv(filters, 3, 1, 1))
        .add(batchNorm());
    Block shortcut = project
        ? new SequentialBlock().add(conv(filters, 1, stride, 0)).add(batchNorm())
        : Blocks.identityBlock();
    return new SequentialBlock()
        .add(new ParallelBlock(
            (List<NDList> outs) -> new NDList(outs.get(0).singletonOrThrow().add(outs.get(1).singletonOrThrow())),
            List.of(main, shortcut)))
        .add(Activation::relu);
  }

  private static Block conv(int filters, int kernel, int stride, int pad) {
    return Conv2d.builder()
        .setFilters(filters)
        .setKernelShape(new Shape(kernel, kernel))
        .optStride(new Shape(stride, stride))
        .optPadding(new Shape(pad, pad))
        .optBias(false)
        .build();
  }

  private static Block batchNorm() {
    // torchvision's BatchNorm2d: momentum 0.1 (DJL's momentum is the running-average keep rate).
    return BatchNorm.builder().optMomentum(0.9f).optEpsilon(1e-5f).build();
  }
}
