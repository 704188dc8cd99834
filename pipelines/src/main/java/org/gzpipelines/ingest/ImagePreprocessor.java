package org.gzpipelines.ingest;

import java.awt.image.BufferedImage;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.gzpipelines.schemas.DeadLetter;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Split;

/**
 * Decodes and checks one image, then makes the original's record and, for training images, K
 * augmented copies: mirror, rotate about the image centre, and only then centre-crop (so the black
 * corners a rotation brings in stay outside the crop), and resize by area averaging. Only the
 * central square that the output can use is decoded: the crop itself, or for augmented images the
 * circle a rotated crop sweeps (crop x sqrt 2), which gives the same pixels as rotating the full
 * image.
 *
 * <p>A plain function rather than a DoFn so that a step can read, preprocess and write an image
 * in one call ({@link ShardSink}): on the Direct runner every step's output is held until the next
 * step runs, so the records must not be a step's output when the input is large.
 */
final class ImagePreprocessor implements Serializable {
  private final PreprocessParams params;

  ImagePreprocessor(PreprocessParams params) {
    this.params = params;
  }

  /** The records of {@code g} go to {@code galaxies}; an image that cannot be used goes to {@code dead}. */
  void process(LabelledImage g, Consumer<Galaxy> galaxies, Consumer<DeadLetter> dead) {
    String id = Long.toString(g.galaxyId());
    int copies = g.split() == Split.TRAIN ? 1 + params.augmentCopies() : 1;
    ImageOps.Decoded decoded;
    try {
      decoded = ImageOps.decodeCentre(g.image().bytes(), copies == 1 ? params.image().cropSize() : params.image().rotationSide());
    } catch (Exception e) { // ImageIO throws unchecked exceptions on some corrupt streams
      dead.accept(Problem.BAD_IMAGE.deadLetter(g.image().source(), id,
          "cannot decode (" + g.image().bytes().length + " bytes): " + e.getMessage()));
      return;
    }
    BufferedImage image = decoded.image();
    String sizeProblem = params.image().sizeProblem(decoded.fullWidth(), decoded.fullHeight());
    int channels = ImageOps.channels(image);
    if (sizeProblem != null) {
      dead.accept(Problem.WRONG_IMAGE_SHAPE.deadLetter(g.image().source(), id, sizeProblem));
      return;
    }
    if (channels != 3) {
      String what = channels == 1 ? "1 channel (greyscale), expected 3 (RGB): the models take colour images; re-export it"
              + " in colour (a single band cannot be made colour)"
          : channels == 4 ? "4 channels (CMYK, or RGB with alpha), expected 3 (RGB): convert it to RGB"
          : channels + " channels, expected 3 (RGB)";
      dead.accept(Problem.NOT_RGB.deadLetter(g.image().source(), id, what));
      return;
    }
    for (int copy = 0; copy < copies; copy++) {
      Augmentation aug = Augmentation.of(params.augmentSeed(), g.galaxyId(), copy);
      BufferedImage turned = image;
      if (aug.flipped()) {
        turned = ImageOps.mirror(turned);
      }
      if (aug.rotationDegrees() != 0) {
        turned = ImageOps.rotate(turned, aug.rotationDegrees());
      }
      byte[] pixels = ImageOps.resizeToHwc(
          ImageOps.centerCrop(turned, params.image().cropSize()), params.image().outputSize(), params.image().outputSize());
      galaxies.accept(
          Galaxy.newBuilder()
              .setGalaxyId(g.galaxyId())
              .setLabels(g.labels() == null ? null : floats(g.labels()))
              .setHeight(params.image().outputSize())
              .setWidth(params.image().outputSize())
              .setChannels(3)
              .setPixels(ByteBuffer.wrap(pixels))
              .setSplit(g.split())
              .setRotationDegrees((float) aug.rotationDegrees())
              .setFlipped(aug.flipped())
              .setCopyIndex(copy)
              .build());
    }
  }

  private static List<Float> floats(float[] values) {
    List<Float> list = new ArrayList<>(values.length);
    for (float v : values) {
      list.add(v);
    }
    return list;
  }
}
