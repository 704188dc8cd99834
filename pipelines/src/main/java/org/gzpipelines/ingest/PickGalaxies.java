package org.gzpipelines.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.gzpipelines.schemas.Galaxy;

/**
 * The original records (copy 0) of the galaxies a side input names, read again from an ingested
 * folder's shards (of the given splits, all by default) once that side input is known: how explore
 * and evaluate show the few galaxies they picked by their statistics or predictions.
 *
 * <p>Why a second read of the files rather than a ParDo over the records already read: a ParDo
 * waits for its side input, and the Direct runner holds every element that arrives before then.
 * Over the records that is every image of the dataset (61,578 Kaggle images, ~0.9 GB of pixels,
 * do not fit a 1 GB heap); over the shard files it is a few hundred file names. The few chosen
 * records are then all that carry pixels past this step.
 */
public final class PickGalaxies extends PTransform<PBegin, PCollection<Galaxy>> {
  private final String dataDir;
  private final PCollectionView<List<Long>> ids;
  private final String[] splits;

  /** The chosen galaxies among every split of {@code dataDir}. */
  public PickGalaxies(String dataDir, PCollectionView<List<Long>> ids) {
    this(dataDir, ids, IngestedShards.SPLITS);
  }

  /** The chosen galaxies among {@code splits} of {@code dataDir}. */
  public PickGalaxies(String dataDir, PCollectionView<List<Long>> ids, String... splits) {
    this.dataDir = dataDir;
    this.ids = ids;
    this.splits = splits.clone();
  }

  @Override
  public PCollection<Galaxy> expand(PBegin begin) {
    return IngestedShards.of(begin, dataDir, splits)
        .apply("KeepChosen", ParDo.of(new KeepChosen(ids)).withSideInputs(ids))
        .setCoder(AvroCoder.of(Galaxy.class));
  }

  /** Streams one shard and outputs its chosen originals. */
  static final class KeepChosen extends DoFn<FileIO.ReadableFile, Galaxy> {
    private final PCollectionView<List<Long>> ids;

    KeepChosen(PCollectionView<List<Long>> ids) {
      this.ids = ids;
    }

    @ProcessElement
    public void process(ProcessContext c) throws IOException {
      Set<Long> chosen = new HashSet<>(c.sideInput(ids));
      try (InputStream in = Channels.newInputStream(c.element().open());
          DataFileStream<Galaxy> records = new DataFileStream<>(in, new SpecificDatumReader<>(Galaxy.class))) {
        for (Galaxy g : records) {
          if (g.getCopyIndex() == 0 && chosen.contains(g.getGalaxyId())) {
            c.output(g);
          }
        }
      }
    }
  }
}
