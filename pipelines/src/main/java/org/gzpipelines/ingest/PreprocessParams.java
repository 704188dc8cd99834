package org.gzpipelines.ingest;

import java.io.Serializable;

/**
 * Image checks and transformations of ingest.
 *
 * @param expectedSize required input side (0: any square image at least {@code cropSize} large)
 * @param cropSize side of the centre crop
 * @param outputSize side of the stored image
 * @param augmentCopies extra rotated/mirrored copies per training image
 * @param augmentSeed seed of the copies' angles and mirrors
 */
public record PreprocessParams(int expectedSize, int cropSize, int outputSize, int augmentCopies, long augmentSeed)
    implements Serializable {

  public PreprocessParams {
    if (cropSize <= 0 || outputSize <= 0 || outputSize > cropSize) {
      throw new IllegalArgumentException(
          "need 0 < output size (" + outputSize + ") <= crop size (" + cropSize + ")");
    }
    if (expectedSize != 0 && expectedSize < cropSize) {
      throw new IllegalArgumentException("expected image size " + expectedSize + " is smaller than the crop " + cropSize);
    }
    if (augmentCopies < 0) {
      throw new IllegalArgumentException("augment copies must be >= 0, got " + augmentCopies);
    }
  }

  public static PreprocessParams from(IngestOptions o) {
    return new PreprocessParams(o.getExpectedSize(), o.getCropSize(), o.getOutputSize(), o.getAugmentCopies(), o.getAugmentSeed());
  }

  /** Dieleman et al. 2015: 424x424 centre-cropped to 207, downsampled to 69, no extra copies. */
  public static PreprocessParams defaults() {
    return new PreprocessParams(424, 207, 69, 0, 7);
  }

  /** Side of the central square whose rotation by any angle still covers the crop. */
  public int rotationSide() {
    return (int) Math.ceil(cropSize * Math.sqrt(2)) + 2;
  }

  /** Why an image of this size is unusable, or null when it is fine. */
  public String sizeProblem(int width, int height) {
    if (expectedSize != 0 && (width != expectedSize || height != expectedSize)) {
      return width + "x" + height + " pixels, expected " + expectedSize + "x" + expectedSize;
    }
    if (width != height || width < cropSize) {
      return width + "x" + height + " pixels, expected a square image at least " + cropSize + " pixels wide";
    }
    return null;
  }
}
