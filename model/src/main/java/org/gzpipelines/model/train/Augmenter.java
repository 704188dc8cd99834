package org.gzpipelines.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.gzpipelines.model.config.TrainConfig;

/**
 * Random changes that leave a galaxy's labels as they are, for a batch of NCHW images in [0, 1]:
 * one of 4 rotations by 90 degrees and/or a left-right flip, then photometric jitter (brightness,
 * per-channel colour gain, pixel noise) so that a model trained on one synthetic sky does not
 * depend on its exact levels, noise and colours (the transfer to real SDSS cutouts).
 *
 * <p>Hand-written because DJL 0.36's RandomFlip transforms do nothing on PyTorch and it has no
 * rotation or colour-jitter transform. Images of the same symmetry are gathered and transformed
 * together with {@link NDArray#rotate90}/{@link NDArray#flip}; the labels are gathered in the same
 * order. Every random draw comes from the caller's seeded {@link Random}, so a resumed run
 * repeats the same batches.
 */
final class Augmenter {

  private final boolean rotate;
  private final boolean flip;
  private final double brightness;
  private final double colour;
  private final double noise;

  Augmenter(TrainConfig.Augment a) {
    this.rotate = a.rotate90;
    this.flip = a.flip;
    this.brightness = a.brightness;
    this.colour = a.colour;
    this.noise = a.noise;
  }

  boolean enabled() {
    return rotate || flip || photometric();
  }

  private boolean photometric() {
    return brightness > 0 || colour > 0 || noise > 0;
  }

  /** Returns {images, labels}, both reordered by symmetry group. */
  NDList apply(NDManager manager, NDArray images, NDArray labels, Random rnd) {
    int n = (int) images.getShape().get(0);
    List<List<Long>> groups = new ArrayList<>();
    for (int g = 0; g < 8; g++) {
      groups.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      int turns = rotate ? rnd.nextInt(4) : 0;
      int mirrored = flip && rnd.nextBoolean() ? 1 : 0;
      groups.get(turns * 2 + mirrored).add((long) i);
    }
    NDList outImages = new NDList();
    NDList outLabels = new NDList();
    for (int g = 0; g < 8; g++) {
      if (groups.get(g).isEmpty()) {
        continue;
      }
      NDArray idx = manager.create(groups.get(g).stream().mapToLong(Long::longValue).toArray());
      NDArray x = images.get(idx);
      if (g % 2 == 1) {
        x = x.flip(3);
      }
      if (g / 2 > 0) {
        x = x.rotate90(g / 2, new int[] {2, 3});
      }
      outImages.add(x);
      outLabels.add(labels.get(idx));
    }
    NDArray x = NDArrays.concat(outImages, 0);
    return new NDList(photometric() ? jitter(manager, x, rnd) : x, NDArrays.concat(outLabels, 0));
  }

  /** Brightness and colour gains per image (and channel), plus Gaussian noise of a per-image sigma. */
  private NDArray jitter(NDManager manager, NDArray x, Random rnd) {
    Shape shape = x.getShape();
    int n = (int) shape.get(0);
    int c = (int) shape.get(1);
    int pixels = (int) (shape.size() / n);
    float[] gain = new float[n * c];
    for (int i = 0; i < n; i++) {
      double b = 1 + brightness * (2 * rnd.nextDouble() - 1);
      for (int k = 0; k < c; k++) {
        gain[i * c + k] = (float) (b * (1 + colour * (2 * rnd.nextDouble() - 1)));
      }
    }
    NDArray out = x.mul(manager.create(gain, new Shape(n, c, 1, 1)));
    if (noise > 0) {
      float[] z = new float[n * pixels];
      for (int i = 0; i < n; i++) {
        double sigma = noise * rnd.nextDouble();
        for (int p = 0; p < pixels; p++) {
          z[i * pixels + p] = (float) (sigma * rnd.nextGaussian());
        }
      }
      out = out.add(manager.create(z, shape));
    }
    return out.clip(0f, 1f);
  }
}
