package org.gzpipelines.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import org.apache.beam.sdk.coders.StringUtf8Coder;
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
 * #DEAD_LETTERS}). Ingest uses only the names ({@link #list}, for the join) and reads the chosen
 * files itself ({@link IngestImages}).
 *
 * <p>No GroupByKey ever carries image bytes: the Direct runner holds a GroupByKey's whole input in
 * memory, so bytes through one would hold every image at once. Folders: {@code
 * FileIO.matchAll().withOutputParallelization(false)}, then a reshuffle of the file names with a
 * fixed number of buckets (on the Direct runner {@code FileIO.match()}'s own random-key reshuffle
 * is about 7x slower on many small files), and only then the bytes are read. Archives: one
 * sequential stream per archive (a .tar.gz cannot be split) that feeds decoding directly, not
 * through a reshuffle, so the entries are never collected in a shuffle; nothing is unpacked to
 * disk. The cost: one archive is decoded by one worker. The Direct runner still commits a step's
 * output per bundle and runs the next step only after all bundles, so what follows this transform
 * holds its whole output on that runner; Flink streams it on.
 */
public final class ReadImages extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<ImageFile> IMAGES = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};
  /** The names of the images ({@code file} or {@code archive!entry}), for {@link #list}. */
  public static final TupleTag<String> SOURCES = new TupleTag<>() {};

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
    if (ImageInput.of(path) == ImageInput.FOLDER) {
      return withCoders(spread(listFiles(begin, path), buckets)
          .apply("ReadFiles", ParDo.of(new ReadFileFn()).withOutputTags(IMAGES, TupleTagList.of(DEAD_LETTERS))));
    }
    return withCoders(begin
        .apply("Archive", Create.of(path.toString()))
        .apply("StreamEntries", ParDo.of(new ReadArchiveEntriesFn(DEAD_LETTERS)).withOutputTags(IMAGES, TupleTagList.of(DEAD_LETTERS))));
  }

  /**
   * The names of the images at {@code images} (tag {@link #SOURCES}) and the dead letters of
   * archives that cannot be read (tag {@link #DEAD_LETTERS}); no image bytes are kept.
   */
  static PTransform<PBegin, PCollectionTuple> list(String images) {
    return new PTransform<>() {
      @Override
      public PCollectionTuple expand(PBegin begin) {
        return list(begin, images);
      }
    };
  }

  private static PCollectionTuple list(PBegin begin, String images) {
    Path path = Path.of(images).toAbsolutePath();
    PCollectionTuple out;
    if (ImageInput.of(path) == ImageInput.FOLDER) {
      out = listFiles(begin, path)
          .apply("ImageNames", ParDo.of(new ImageNameFn()).withOutputTags(SOURCES, TupleTagList.of(DEAD_LETTERS)));
    } else {
      out = begin
          .apply("Archive", Create.of(path.toString()))
          .apply("ListEntries", ParDo.of(new ReadArchiveEntriesFn.ListFn(DEAD_LETTERS)).withOutputTags(SOURCES, TupleTagList.of(DEAD_LETTERS)));
    }
    out.get(SOURCES).setCoder(StringUtf8Coder.of());
    out.get(DEAD_LETTERS).setCoder(AvroCoder.of(DeadLetter.class));
    return out;
  }

  private static PCollection<MatchResult.Metadata> listFiles(PBegin begin, Path folder) {
    // Java's glob "**" crosses folders, so "<dir>/**" matches the whole tree.
    return begin
        .apply("Folder", Create.of(folder.resolve("**").toString()))
        .apply("ListFiles", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW).withOutputParallelization(false));
  }

  /** Spreads file names (not bytes) over {@code buckets} work units before anything is read. */
  private static PCollection<MatchResult.Metadata> spread(PCollection<MatchResult.Metadata> files, int buckets) {
    return files.apply("SpreadFiles", Reshuffle.<MatchResult.Metadata>viaRandomKey().withNumBuckets(buckets));
  }

  private static PCollectionTuple withCoders(PCollectionTuple tuple) {
    tuple.get(IMAGES).setCoder(ImageFile.Coder.of());
    tuple.get(DEAD_LETTERS).setCoder(AvroCoder.of(DeadLetter.class));
    return tuple;
  }

  private static boolean isImage(MatchResult.Metadata file) {
    return !file.resourceId().isDirectory() && ImageInput.isImageName(file.resourceId().toString());
  }

  /** Reads one image file's bytes; non-image files in the tree are skipped. */
  static final class ReadFileFn extends DoFn<MatchResult.Metadata, ImageFile> {
    @ProcessElement
    public void process(@Element MatchResult.Metadata file, MultiOutputReceiver out) {
      if (!isImage(file)) {
        return;
      }
      String name = file.resourceId().toString();
      try {
        out.get(IMAGES).output(new ImageFile(name, readBytes(file)));
      } catch (IOException e) {
        out.get(DEAD_LETTERS).output(Problem.BAD_IMAGE.deadLetter(name, null, "cannot read the file: " + e.getMessage()));
      }
    }
  }

  /** The name of each image file; non-image files in the tree are skipped. */
  static final class ImageNameFn extends DoFn<MatchResult.Metadata, String> {
    @ProcessElement
    public void process(@Element MatchResult.Metadata file, OutputReceiver<String> out) {
      if (isImage(file)) {
        out.output(file.resourceId().toString());
      }
    }
  }

  private static byte[] readBytes(MatchResult.Metadata file) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(file.resourceId()))) {
      return in.readAllBytes();
    }
  }

  /** The bytes of the file a listed name ({@link #SOURCES}) names. */
  static byte[] readBytes(String source) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(source, false)))) {
      return in.readAllBytes();
    }
  }
}
