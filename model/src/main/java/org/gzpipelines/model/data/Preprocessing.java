package org.gzpipelines.model.data;

import java.io.Serializable;
import java.util.Locale;

/**
 * How an original Galaxy Zoo image becomes the stored (and the model's input) image: checked for
 * its size, centre-cropped, resized by area averaging, kept as RGB. Ingest writes it into the
 * dataset's manifest, training copies it into every saved model, and inference on raw images
 * applies it from the model folder alone.
 *
 * <p>The one place the defaults live (Dieleman et al. 2015: 424x424 centre-cropped to 207,
 * downsampled to 69).
 *
 * @param expectedSize required input side (0: any square image at least {@code cropSize} large)
 * @param cropSize side of the centre crop
 * @param outputSize side of the stored image
 * @param resize how the crop is resized
 * @param channelOrder the stored channels, in order (pixels are row-major, channels interleaved)
 */
public record Preprocessing(int expectedSize, int cropSize, int outputSize, String resize, String channelOrder)
    implements Serializable {

  public static final String AREA_AVERAGE = "area-average";
  public static final String RGB = "RGB";
  public static final Preprocessing DEFAULTS = new Preprocessing(424, 207, 69, AREA_AVERAGE, RGB);

  /** Checks the sizes; the message says what is wrong. */
  public Preprocessing {
    if (cropSize <= 0 || outputSize <= 0 || outputSize > cropSize) {
      throw new IllegalArgumentException(
          "need 0 < output size (" + outputSize + ") <= crop size (" + cropSize + ")");
    }
    if (expectedSize != 0 && expectedSize < cropSize) {
      throw new IllegalArgumentException("expected image size " + expectedSize + " is smaller than the crop " + cropSize);
    }
  }

  /** The default steps with these sizes. */
  public static Preprocessing of(int expectedSize, int cropSize, int outputSize) {
    return new Preprocessing(expectedSize, cropSize, outputSize, AREA_AVERAGE, RGB);
  }

  /** Side of the central square whose rotation by any angle still covers the crop. */
  public int rotationSide() {
    return (int) Math.ceil(cropSize * Math.sqrt(2)) + 2;
  }

  /**
   * Why images stored this way cannot go to a model trained on images stored as {@code model} says,
   * or null: another stored size, or another field of view (the crop's share of the frame), at which
   * the model would see every galaxy at a scale it never learned. A size of 0 (any) cannot be
   * compared and passes.
   */
  public String mismatch(Preprocessing model) {
    if (outputSize != model.outputSize) {
      return "its images are " + outputSize + "x" + outputSize + ", the model takes " + model.outputSize + "x"
          + model.outputSize;
    }
    if (expectedSize == 0 || model.expectedSize == 0) {
      return null;
    }
    double scale = (model.cropSize / (double) model.expectedSize) / (cropSize / (double) expectedSize);
    if (Math.abs(scale - 1) <= 0.02) { // a pixel of rounding either way
      return null;
    }
    return String.format(Locale.ROOT, "its crop is %d of %d pixels (%.0f%% of the frame), the model was"
        + " trained on %d of %d (%.0f%%), so it would see every galaxy at %.2fx the size it knows", cropSize,
        expectedSize, 100.0 * cropSize / expectedSize, model.cropSize, model.expectedSize,
        100.0 * model.cropSize / model.expectedSize, scale);
  }

  /** The crop of an image of side {@code side} that keeps this preprocessing's field of view. */
  public int cropFor(int side) {
    return (int) Math.round(side * (double) cropSize / expectedSize);
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
