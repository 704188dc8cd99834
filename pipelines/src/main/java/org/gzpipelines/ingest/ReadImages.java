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
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.gzpipelines.schemas.DeadLetter;

/**
 * The image files of a folder tree or an archive by name (tag {@link #SOURCES}), plus dead letters
 * for archives that cannot be read (tag {@link #DEAD_LETTERS}), and {@link #read} for one file's
 * bytes. No step emits image bytes: the callers read, preprocess and use each image inside one call
 * ({@link IngestImages}, {@link TestImageReader}), because the Direct runner holds a step's whole
 * output (and a GroupByKey's whole input) in memory. Folders are listed with {@code
 * FileIO.matchAll().withOutputParallelization(false)}: the callers spread the names themselves
 * ({@code beam.CappedBatches}).
 */
public final class ReadImages {
  private ReadImages() {}

  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};
  /** The names of the images ({@code file} or {@code archive!entry}), for {@link #list}. */
  public static final TupleTag<String> SOURCES = new TupleTag<>() {};

  /**
   * The names of the images at {@code images} (tag {@link #SOURCES}) and the dead letters of
   * archives that cannot be read (tag {@link #DEAD_LETTERS}); no image bytes are kept.
   */
  public static PTransform<PBegin, PCollectionTuple> list(String images) {
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
          .apply("ListEntries", ParDo.of(new ArchiveEntries.ListFn(DEAD_LETTERS)).withOutputTags(SOURCES, TupleTagList.of(DEAD_LETTERS)));
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

  private static boolean isImage(MatchResult.Metadata file) {
    return !file.resourceId().isDirectory() && ImageInput.isImageName(file.resourceId().toString());
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

  /**
   * The file a listed name ({@link #SOURCES}) names, or null when it cannot be read, after sending
   * {@code dead} its dead letter.
   */
  static ImageFile read(String source, java.util.function.Consumer<DeadLetter> dead) {
    try {
      return new ImageFile(source, readBytes(source));
    } catch (IOException e) {
      dead.accept(Problem.BAD_IMAGE.deadLetter(source, null, "cannot read the file: " + e.getMessage()));
      return null;
    }
  }

  private static byte[] readBytes(String source) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(source, false)))) {
      return in.readAllBytes();
    }
  }
}
