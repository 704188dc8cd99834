package org.gzpipelines.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.gzpipelines.schemas.DeadLetter;

/**
 * Reads every image of a folder tree or an archive as {@link ImageFile}s (tag {@link #IMAGES}),
 * spread over the workers, plus dead letters for files that cannot be read (tag {@link
 * #DEAD_LETTERS}).
 *
 * <p>Folders: {@code FileIO.matchAll().withOutputParallelization(false)} and then a reshuffle
 * with a fixed number of buckets; on the Direct runner {@code FileIO.match()}'s own random-key
 * reshuffle is about 7x slower on many small files. Archives: one sequential stream per archive
 * (a .tar.gz cannot be split), reshuffled so that decoding runs in parallel. Nothing is unpacked
 * to disk; on Flink the entries stream on to the next step as they are read, while the Direct
 * runner (an in-memory test runner) holds one archive's compressed entries until the archive is
 * read, as it holds every GroupByKey's input.
 */
public final class ReadImages extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<ImageFile> IMAGES = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  private final String images;
  private final int buckets;

  private ReadImages(String images, int buckets) {
    this.images = images;
    this.buckets = buckets;
  }

  /** Reads the folder or archive at {@code images}; {@code buckets} sets the reshuffle width. */
  public static ReadImages from(String images, int buckets) {
    return new ReadImages(images, buckets);
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    Path path = Path.of(images).toAbsolutePath();
    ImageInput kind = ImageInput.of(path);
    if (kind == ImageInput.FOLDER) {
      // Java's glob "**" crosses folders, so "<dir>/**" matches the whole tree.
      PCollection<MatchResult.Metadata> files =
          begin
              .apply("Folder", Create.of(path.resolve("**").toString()))
              .apply("ListFiles",
                  FileIO.matchAll()
                      .withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW)
                      .withOutputParallelization(false))
              .apply("SpreadFiles", Reshuffle.<MatchResult.Metadata>viaRandomKey().withNumBuckets(buckets));
      return withCoders(files.apply("ReadFiles",
          ParDo.of(new ReadFileFn()).withOutputTags(IMAGES, TupleTagList.of(DEAD_LETTERS))));
    }
    PCollectionTuple entries =
        begin
            .apply("Archive", Create.of(path.toString()))
            .apply("StreamEntries",
                ParDo.of(new ReadArchiveEntriesFn(DEAD_LETTERS))
                    .withOutputTags(IMAGES, TupleTagList.of(DEAD_LETTERS)));
    withCoders(entries);
    PCollection<ImageFile> spread =
        entries.get(IMAGES)
            .apply("SpreadEntries", Reshuffle.<ImageFile>viaRandomKey().withNumBuckets(buckets));
    return PCollectionTuple.of(IMAGES, spread).and(DEAD_LETTERS, entries.get(DEAD_LETTERS));
  }

  private static PCollectionTuple withCoders(PCollectionTuple tuple) {
    tuple.get(IMAGES).setCoder(ImageFile.Coder.of());
    tuple.get(DEAD_LETTERS).setCoder(AvroCoder.of(DeadLetter.class));
    return tuple;
  }

  /** Reads one image file's bytes; non-image files in the tree are skipped. */
  static final class ReadFileFn extends DoFn<MatchResult.Metadata, ImageFile> {
    @ProcessElement
    public void process(@Element MatchResult.Metadata file, MultiOutputReceiver out) {
      String name = file.resourceId().toString();
      if (file.resourceId().isDirectory() || !ImageInput.isImageName(name)) {
        return;
      }
      try (InputStream in = Channels.newInputStream(FileSystems.open(file.resourceId()))) {
        out.get(IMAGES).output(new ImageFile(name, in.readAllBytes()));
      } catch (IOException e) {
        out.get(DEAD_LETTERS)
            .output(Problem.BAD_IMAGE.deadLetter(name, null, "cannot read the file: " + e.getMessage()));
      }
    }
  }
}
