package org.gzpipelines.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.Map;
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
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.gzpipelines.schemas.DeadLetter;

/**
 * Reads every image of a folder tree or an archive as {@link ImageFile}s (tag {@link #IMAGES}),
 * spread over the workers, plus dead letters for files that cannot be read (tag {@link
 * #DEAD_LETTERS}). {@link JoinAndValidate} uses the two halves separately: {@link #list} for the
 * names, {@link #readChosen} for the bytes of the images the join chose.
 *
 * <p>No GroupByKey ever carries image bytes: the Direct runner holds a GroupByKey's whole input in
 * memory, so bytes through one would hold every image at once. Folders: {@code
 * FileIO.matchAll().withOutputParallelization(false)}, then a reshuffle of the file names with a
 * fixed number of buckets (on the Direct runner {@code FileIO.match()}'s own random-key reshuffle
 * is about 7x slower on many small files), and only then the bytes are read. Archives: one
 * sequential stream per archive (a .tar.gz cannot be split) that feeds decoding directly, not
 * through a reshuffle, so the entries are never collected in a shuffle; nothing is unpacked to
 * disk. The cost: one archive is decoded by one worker. The Direct runner still commits a step's
 * output per bundle, so it holds one archive's chosen entries (compressed) until the archive is
 * read, and a folder's 1/buckets share of the files per read bundle; Flink streams both on.
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

  /**
   * Reads the images that {@code chosen} names ({@code source -> labels row}), joined to their
   * rows (tag {@link JoinAndValidate#JOINED}), plus dead letters for files that cannot be read.
   * The side input holds names only; what waits for it is file names, never bytes.
   */
  static PTransform<PBegin, PCollectionTuple> readChosen(String images, int buckets, PCollectionView<Map<String, LabelRow>> chosen) {
    return new PTransform<>() {
      @Override
      public PCollectionTuple expand(PBegin begin) {
        return readChosen(begin, images, buckets, chosen);
      }
    };
  }

  private static PCollectionTuple readChosen(PBegin begin, String images, int buckets, PCollectionView<Map<String, LabelRow>> chosen) {
    Path path = Path.of(images).toAbsolutePath();
    PCollectionTuple out;
    if (ImageInput.of(path) == ImageInput.FOLDER) {
      out = spread(listFiles(begin, path), buckets)
          .apply("ReadChosenFiles", ParDo.of(new ReadChosenFileFn(chosen)).withSideInputs(chosen)
              .withOutputTags(JoinAndValidate.JOINED, TupleTagList.of(DEAD_LETTERS)));
    } else {
      PCollection<LabelledImage> read = begin
          .apply("Archive", Create.of(path.toString()))
          .apply("ReadChosenEntries", ParDo.of(new ReadArchiveEntriesFn.ReadChosenFn(chosen)).withSideInputs(chosen));
      out = PCollectionTuple.of(JoinAndValidate.JOINED, read)
          .and(DEAD_LETTERS, begin.apply("NoDeadLetters", Create.empty(AvroCoder.of(DeadLetter.class))));
    }
    out.get(JoinAndValidate.JOINED).setCoder(LabelledImage.Coder.of());
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

  /** Reads the files the join chose; the others were dead-lettered by the join or are not images. */
  static final class ReadChosenFileFn extends DoFn<MatchResult.Metadata, LabelledImage> {
    private final PCollectionView<Map<String, LabelRow>> chosen;

    ReadChosenFileFn(PCollectionView<Map<String, LabelRow>> chosen) {
      this.chosen = chosen;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      MatchResult.Metadata file = c.element();
      String name = file.resourceId().toString();
      LabelRow row = isImage(file) ? c.sideInput(chosen).get(name) : null;
      if (row == null) {
        return;
      }
      try {
        c.output(new LabelledImage(ImageFile.galaxyId(name), new ImageFile(name, readBytes(file)), row.labels(), null));
      } catch (IOException e) {
        c.output(DEAD_LETTERS, Problem.BAD_IMAGE.deadLetter(name, null, "cannot read the file: " + e.getMessage()));
      }
    }
  }

  private static byte[] readBytes(MatchResult.Metadata file) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(file.resourceId()))) {
      return in.readAllBytes();
    }
  }
}
