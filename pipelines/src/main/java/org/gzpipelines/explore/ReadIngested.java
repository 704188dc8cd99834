package org.gzpipelines.explore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.gzpipelines.ingest.IngestedShards;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Split;

/**
 * Reads every record of an ingested dataset -- the Avro shards of train/, val/ and test/ (a
 * missing split is simply empty) -- as {@link GalaxyRow}s: Avro's schema resolution skips the
 * pixels while decoding, so they are never copied.
 *
 * <p>Why shards are read inside a DoFn rather than with {@code AvroIO.read}: the Direct runner
 * splits AvroIO's reads into a bundle every hundred or so records, and every bundle that reaches a
 * combiner makes it copy the partial results it holds so far (its in-memory state is copied on
 * each bundle), so the cost of the statistics grew with the square of the dataset's size (61,578
 * records: over ten minutes of CPU). Rows without pixels are small enough (~200 bytes) to travel
 * in few, large bundles.
 */
public final class ReadIngested extends PTransform<PBegin, PCollection<GalaxyRow>> {
  private final String dataDir;

  public ReadIngested(String dataDir) {
    this.dataDir = dataDir;
  }

  @Override
  public PCollection<GalaxyRow> expand(PBegin begin) {
    return IngestedShards.of(begin, dataDir, IngestedShards.SPLITS)
        .apply("Rows", ParDo.of(new ReadRows()))
        .setCoder(GalaxyRow.Coder.of());
  }

  /** Galaxy's schema without its pixels: the reader schema Avro resolves each shard's records to. */
  static Schema withoutPixels() {
    Schema galaxy = Galaxy.getClassSchema();
    List<Schema.Field> fields = galaxy.getFields().stream()
        .filter(f -> !f.name().equals("pixels"))
        .map(f -> new Schema.Field(f, f.schema()))
        .toList();
    return Schema.createRecord(galaxy.getName(), galaxy.getDoc(), galaxy.getNamespace(), false, fields);
  }

  /** Streams one shard's records as rows. */
  static final class ReadRows extends DoFn<FileIO.ReadableFile, GalaxyRow> {
    private transient Schema projection;

    @Setup
    public void setup() {
      projection = withoutPixels();
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<GalaxyRow> out) throws IOException {
      try (InputStream in = Channels.newInputStream(file.open());
          DataFileStream<GenericRecord> records =
              new DataFileStream<>(in, new GenericDatumReader<>(projection, projection))) {
        GenericRecord r = null;
        while (records.hasNext()) {
          r = records.next(r);
          out.output(new GalaxyRow((Long) r.get("galaxyId"), Split.valueOf(r.get("split").toString()),
              (Integer) r.get("copyIndex"), (Integer) r.get("height"), (Integer) r.get("width"),
              (Integer) r.get("channels"), labels(r.get("labels"))));
        }
      }
    }

    private static float[] labels(Object value) {
      if (value == null) {
        return null;
      }
      List<?> list = (List<?>) value;
      float[] labels = new float[list.size()];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = (Float) list.get(i);
      }
      return labels;
    }
  }
}
