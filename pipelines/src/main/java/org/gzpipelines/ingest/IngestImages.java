package org.gzpipelines.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.gzpipelines.beam.CappedBatches;
import org.gzpipelines.schemas.DeadLetter;

/**
 * Reads the images {@link JoinAndValidate} chose ({@code source -> labels row}) and writes their
 * records into temporary shard files, reading, preprocessing and writing each image within one call
 * ({@link ShardSink}). Emits only small things: the temporary files ({@link #TEMP_FILES}), the
 * statistics of each call ({@link #STATS}) and dead letters for images that cannot be read or used.
 *
 * <p>Folders: the chosen names are grouped into batches of at most {@code imagesPerBundle} ({@link
 * CappedBatches}), one call each, so the work of a call is capped whatever the input's size and the
 * batches spread over every worker. Archives: one sequential pass per archive (a .tar.gz cannot be
 * split), with the choice as a side input read once per archive.
 *
 * <p>The choice is never a side input read per image: Beam 2.70's Direct runner rebuilds a map
 * side input from all its entries on every {@code sideInput()} call ({@code
 * SideInputContainer.SideInputContainerSideInputReader.get}), which made reading n images cost
 * O(n^2): 61,578 images did not finish in 18 minutes (docs/BENCHMARKS.md).
 */
public final class IngestImages extends PTransform<PCollection<KV<String, LabelRow>>, PCollectionTuple> {
  public static final TupleTag<TempShardFile> TEMP_FILES = new TupleTag<>() {};
  public static final TupleTag<SplitStats> STATS = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  private final String images;
  private final int imagesPerBundle;
  private final ShardSink.Spec spec;

  IngestImages(String images, int imagesPerBundle, ShardSink.Spec spec) {
    this.images = images;
    this.imagesPerBundle = imagesPerBundle;
    this.spec = spec;
  }

  @Override
  public PCollectionTuple expand(PCollection<KV<String, LabelRow>> chosen) {
    Path path = Path.of(images).toAbsolutePath();
    PCollectionTuple out;
    if (ImageInput.of(path) == ImageInput.FOLDER) {
      out = chosen
          .apply("Batches", CappedBatches.of(imagesPerBundle))
          .apply("ReadPreprocessWrite", ParDo.of(new BatchFn(spec)).withOutputTags(TEMP_FILES, TupleTagList.of(STATS).and(DEAD_LETTERS)));
    } else {
      PCollectionView<Map<String, LabelRow>> choice = chosen.apply("Choice", View.asMap());
      out = chosen.getPipeline()
          .apply("Archive", Create.of(path.toString()))
          .apply("ReadPreprocessWrite", ParDo.of(new ArchiveFn(spec, choice)).withSideInputs(choice)
              .withOutputTags(TEMP_FILES, TupleTagList.of(STATS).and(DEAD_LETTERS)));
    }
    out.get(TEMP_FILES).setCoder(TempShardFile.Coder.of());
    out.get(STATS).setCoder(SerializableCoder.of(SplitStats.class));
    out.get(DEAD_LETTERS).setCoder(AvroCoder.of(DeadLetter.class));
    return out;
  }

  /** The counter (namespace "ingest") of the images read so far: the progress the console draws. */
  static final String IMAGES_COUNTER = "images";

  /** One batch of image files: read each, then into the sink. */
  static final class BatchFn extends DoFn<KV<Long, Iterable<KV<String, LabelRow>>>, TempShardFile> {
    private final Counter readImages = Metrics.counter("ingest", IMAGES_COUNTER);
    private final ShardSink.Spec spec;

    BatchFn(ShardSink.Spec spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element KV<Long, Iterable<KV<String, LabelRow>>> batch, MultiOutputReceiver out) throws IOException {
      ShardSink sink = new ShardSink(spec, out.get(DEAD_LETTERS)::output);
      for (KV<String, LabelRow> image : batch.getValue()) {
        ImageFile file = ReadImages.read(image.getKey(), out.get(DEAD_LETTERS)::output);
        if (file != null) {
          sink.accept(ImageFile.galaxyId(file.source()), file, image.getValue().labels());
        }
        readImages.inc();
      }
      sink.finish(out.get(TEMP_FILES)::output, out.get(STATS)::output);
    }
  }

  /**
   * One archive: its chosen entries, in archive order, into the sink. Problems of the archive itself
   * were dead-lettered when it was listed ({@link ArchiveEntries.ListFn}), so none are emitted here.
   */
  static final class ArchiveFn extends DoFn<String, TempShardFile> {
    private final ShardSink.Spec spec;
    private final PCollectionView<Map<String, LabelRow>> choice;

    ArchiveFn(ShardSink.Spec spec, PCollectionView<Map<String, LabelRow>> choice) {
      this.spec = spec;
      this.choice = choice;
    }

    @ProcessElement
    public void process(@Element String archive, ProcessContext c) throws IOException {
      Map<String, LabelRow> rows = c.sideInput(choice);
      ShardSink sink = new ShardSink(spec, dead -> c.output(DEAD_LETTERS, dead));
      ArchiveEntries.walk(archive, (source, in) -> {
        LabelRow row = rows.get(source);
        if (row == null) {
          return;
        }
        ImageFile image = new ImageFile(source, in.readAllBytes());
        try {
          sink.accept(ImageFile.galaxyId(source), image, row.labels());
        } catch (IOException e) {
          throw new ArchiveEntries.NotTheArchive(e); // a failed write fails the step, it is no dead letter
        }
      }, dead -> {});
      sink.finish(c::output, stats -> c.output(STATS, stats));
    }
  }
}
