package org.gzpipelines.ingest;

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

/**
 * {@link ImagePreprocessor} as a step: each {@link LabelledImage} becomes its Galaxy records (the
 * original, plus augmented copies for training images), or a dead letter when it cannot be used.
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
            ParDo.of(new PreprocessFn(new ImagePreprocessor(params))).withOutputTags(GALAXIES, TupleTagList.of(DEAD_LETTERS)));
    out.get(GALAXIES).setCoder(AvroCoder.of(Galaxy.class));
    out.get(DEAD_LETTERS).setCoder(AvroCoder.of(DeadLetter.class));
    return out;
  }

  static final class PreprocessFn extends DoFn<LabelledImage, Galaxy> {
    private final ImagePreprocessor preprocessor;

    PreprocessFn(ImagePreprocessor preprocessor) {
      this.preprocessor = preprocessor;
    }

    @ProcessElement
    public void process(@Element LabelledImage g, MultiOutputReceiver out) {
      preprocessor.process(g, out.get(GALAXIES)::output, out.get(DEAD_LETTERS)::output);
    }
  }
}
