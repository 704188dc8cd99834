package org.gzpipelines.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random symmetries of the square for a batch of NCHW images: each image independently gets one of
 * 4 rotations by 90 degrees and/or a left-right flip (galaxy labels do not change under them).
 *
 * <p>Hand-written because DJL 0.36's RandomFlip transforms do nothing on PyTorch and it has no
 * rotation transform. Images of the same symmetry are gathered and transformed together with
 * {@link NDArray#rotate90}/{@link NDArray#flip}; the labels are gathered in the same order.
 */
final class Augmenter {

  private final boolean rotate;
  private final boolean flip;

  Augmenter(boolean rotate, boolean flip) {
    this.rotate = rotate;
    this.flip = flip;
  }

  boolean enabled() {
    return rotate || flip;
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
    return new NDList(NDArrays.concat(outImages, 0), NDArrays.concat(outLabels, 0));
  }
}
