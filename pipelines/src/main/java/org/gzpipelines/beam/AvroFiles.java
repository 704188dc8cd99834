package org.gzpipelines.beam;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads back on the driver a small Avro file a pipeline wrote ({@code AvroIO.write(...)
 * .withoutSharding()}: a sample, the galaxies a figure shows) or one ingested shard, whole.
 */
public final class AvroFiles {

  private AvroFiles() {}

  /** Reads a whole (small) Avro file of one record type. */
  public static <T extends SpecificRecord> List<T> read(Path file, Class<T> type) throws IOException {
    List<T> out = new ArrayList<>();
    try (DataFileReader<T> r = new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(type))) {
      while (r.hasNext()) {
        out.add(r.next());
      }
    }
    return out;
  }
}
