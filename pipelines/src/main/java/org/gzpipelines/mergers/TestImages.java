package org.gzpipelines.mergers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.evaluate.ReadSplit;
import org.gzpipelines.ingest.ImageFile;
import org.gzpipelines.ingest.LabelledImage;
import org.gzpipelines.ingest.Preprocess;
import org.gzpipelines.ingest.PreprocessParams;
import org.gzpipelines.ingest.Problem;
import org.gzpipelines.ingest.ReadImages;
import org.gzpipelines.ingest.WriteDeadLetters;
import org.gzpipelines.model.data.ShardCheck;
import org.gzpipelines.schemas.DeadLetter;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Split;

/**
 * The unlabelled galaxies a trained model is run over: those whose merger fraction is measured
 * ({@code gz mergers}), or those predicted for a submission ({@code gz predict}).
 *
 * <ul>
 *   <li>Raw images (a folder, .zip or .tar.gz of {@code <GalaxyID>.jpg/.jpeg/.png}) go through the ingest
 *       pipeline's own transforms inside this pipeline -- {@link ReadImages}, then {@link
 *       Preprocess} with the crop and size the model's training data was ingested with -- so no
 *       intermediate Avro copy of 80,000 test images is written; unreadable images and bad names
 *       go to {@code <output>/dead-letter/} as in ingest.
 *   <li>A folder gz ingest already wrote: its {@code test/} split is read as it is (ingest is a
 *       no-op on the same inputs, so reusing its output costs nothing).
 * </ul>
 */
public final class TestImages extends PTransform<PBegin, PCollection<Galaxy>> {

  private final Path images;
  private final PreprocessParams params;
  private final String deadLetterDir;
  private final int buckets;

  public TestImages(Path images, PreprocessParams params, String deadLetterDir, int buckets) {
    this.images = images;
    this.params = params;
    this.deadLetterDir = deadLetterDir;
    this.buckets = buckets;
  }

  static boolean isIngested(Path images) {
    return Files.isDirectory(images) && ShardCheck.has(images, "test");
  }

  @Override
  public PCollection<Galaxy> expand(PBegin begin) {
    if (isIngested(images)) {
      return begin.apply("Read ingested test split", ReadSplit.of(images, "test"));
    }
    if (!Files.exists(images)) {
      throw new UserError("--images " + images + " does not exist: give the test images (a folder, .zip or .tar.gz)"
          + " or a folder written by gz ingest");
    }
    PCollectionTuple files = begin.apply("Read images", ReadImages.from(images.toString(), buckets));
    PCollectionTuple named = files.get(ReadImages.IMAGES)
        .apply("GalaxyID from file name", ParDo.of(new ToTestImageFn()).withOutputTags(TEST, TupleTagList.of(BAD)));
    named.get(TEST).setCoder(LabelledImage.Coder.of());
    named.get(BAD).setCoder(AvroCoder.of(DeadLetter.class));
    PCollectionTuple preprocessed = named.get(TEST).apply("Crop and resize", new Preprocess(params));
    PCollectionList.of(files.get(ReadImages.DEAD_LETTERS)).and(named.get(BAD)).and(preprocessed.get(Preprocess.DEAD_LETTERS))
        .apply("All dead letters", Flatten.pCollections())
        .apply("Write dead letters", new WriteDeadLetters(deadLetterDir, List.of(images.toAbsolutePath().toString())));
    return preprocessed.get(Preprocess.GALAXIES);
  }

  private static final TupleTag<LabelledImage> TEST = new TupleTag<>() {};
  private static final TupleTag<DeadLetter> BAD = new TupleTag<>() {};

  /** {@code 100008.jpg} (or .png) -> an unlabelled TEST image of galaxy 100008, as ingest names them. */
  static final class ToTestImageFn extends DoFn<ImageFile, LabelledImage> {
    @ProcessElement
    public void process(@Element ImageFile image, MultiOutputReceiver out) {
      Long id = image.galaxyId();
      if (id == null) {
        out.get(BAD).output(Problem.BAD_ID.deadLetter(image.source(), null, image.badNameReason()));
      } else {
        out.get(TEST).output(new LabelledImage(id, image, null, Split.TEST));
      }
    }
  }
}
