package org.gzpipelines.ingest;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.gzpipelines.schemas.DeadLetter;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Split;

/**
 * Decodes and checks each image, then writes the original and, for training images, K augmented
 * copies: mirror, rotate about the image centre, and only then centre-crop (so the black corners a
 * rotation brings in stay outside the crop), and resize by area averaging. Only the central square
 * that the output can use is decoded: the crop itself, or for augmented images the circle a
 * rotated crop sweeps (crop x sqrt 2), which gives the same pixels as rotating the full image.
 */
public final class Preprocess extends PTransform<PCollection<LabelledImage>, PCollectionTuple> {
  public static final TupleTag<Galaxy> GALAXIES = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  private final PreprocessParams params;

  public Preprocess(PreprocessParams params) {
    this.params = params;
  }

  @Override
  public PCollectionTuple expand(PCollection<LabelledImage> input) {
    PCollectionTuple out =
        input.apply("DecodeCropResize",
            ParDo.of(new PreprocessFn(params)).withOutputTags(GALAXIES, TupleTagList.of(DEAD_LETTERS)));
    out.get(GALAXIES).setCoder(AvroCoder.of(Galaxy.class));
    out.get(DEAD_LETTERS).setCoder(AvroCoder.of(DeadLetter.class));
    return out;
  }

  static final class PreprocessFn extends DoFn<LabelledImage, Galaxy> {
    private final PreprocessParams params;

    PreprocessFn(PreprocessParams params) {
      this.params = params;
    }

    @ProcessElement
    public void process(@Element LabelledImage g, MultiOutputReceiver out) {
      String id = Long.toString(g.galaxyId());
      int copies = g.split() == Split.TRAIN ? 1 + params.augmentCopies() : 1;
      ImageOps.Decoded decoded;
      try {
        decoded = ImageOps.decodeCentre(g.image().bytes(), copies == 1 ? params.image().cropSize() : params.image().rotationSide());
      } catch (Exception e) { // ImageIO throws unchecked exceptions on some corrupt streams
        out.get(DEAD_LETTERS).output(Problem.BAD_IMAGE.deadLetter(g.image().source(), id,
            "cannot decode (" + g.image().bytes().length + " bytes): " + e.getMessage()));
        return;
      }
      BufferedImage image = decoded.image();
      String sizeProblem = params.image().sizeProblem(decoded.fullWidth(), decoded.fullHeight());
      int channels = ImageOps.channels(image);
      if (sizeProblem != null || channels != 3) {
        String what = sizeProblem != null ? sizeProblem : channels + " channels, expected 3 (RGB)";
        out.get(DEAD_LETTERS).output(Problem.WRONG_IMAGE_SHAPE.deadLetter(g.image().source(), id, what));
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
        out.get(GALAXIES).output(
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

    private static java.util.List<Float> floats(float[] values) {
      java.util.List<Float> list = new java.util.ArrayList<>(values.length);
      for (float v : values) {
        list.add(v);
      }
      return list;
    }
  }
}
