package org.gzpipelines.ingest;

import java.io.Serializable;
import org.gzpipelines.model.data.Preprocessing;

/**
 * What the Preprocess transform does to each image: the image steps, and for the training split
 * the extra rotated/mirrored copies.
 *
 * @param image checks, crop and resize
 * @param augmentCopies extra rotated/mirrored copies per training image
 * @param augmentSeed seed of the copies' angles and mirrors
 */
public record PreprocessParams(Preprocessing image, int augmentCopies, long augmentSeed) implements Serializable {

  public PreprocessParams {
    if (augmentCopies < 0) {
      throw new IllegalArgumentException("augment copies must be >= 0, got " + augmentCopies);
    }
  }

  public static PreprocessParams of(IngestParams p) {
    return new PreprocessParams(p.preprocessing(), p.augment, p.augmentSeed);
  }

  /** The image steps alone (test images, inference). */
  public static PreprocessParams imageOnly(Preprocessing image) {
    return new PreprocessParams(image, 0, 0);
  }
}
