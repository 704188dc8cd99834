package org.gzpipelines.predict;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.List;
import java.util.UUID;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;
import org.gzpipelines.schemas.Prediction;

/**
 * A folder of Prediction files that {@link PredictImages}' work units write themselves: unit
 * {@code u} writes {@code <dir>/part-<name>-<u in hex>.avro} (Snappy, like AvroIO), through a
 * hidden temporary file renamed into place when the unit is complete, so a retried unit replaces
 * its own file and a stopped one leaves no part behind.
 *
 * <p>Written by hand rather than with {@code AvroIO.write}: the Direct runner turns every write
 * without a fixed shard count into a GroupByKey of the records themselves, so all predictions
 * waited in the runner for the write step (about 1.4 KB each), and the grouped state is copied
 * again for every bundle that adds to it. In gz evaluate that write took 0.4 of 1.9 ms of CPU per
 * record at 12,209 records (docs/BENCHMARKS.md, "Full scale").
 *
 * @param name distinguishes the writers of one folder (gz evaluate writes val and test into one)
 */
public record PredictionParts(String dir, String name) implements Serializable {

  /** Opens unit {@code unit}'s file. */
  Writer open(long unit) {
    return new Writer(FileSystems.matchNewResource(dir + "/part-" + name + "-" + Long.toHexString(unit) + ".avro", false),
        FileSystems.matchNewResource(dir + "/.part-" + name + "-" + UUID.randomUUID() + ".tmp", false));
  }

  /** One unit's file: appended to, then committed; closed without a commit, it leaves nothing. */
  static final class Writer implements AutoCloseable {
    private final ResourceId file;
    private final ResourceId temp;
    private DataFileWriter<Prediction> out;

    private Writer(ResourceId file, ResourceId temp) {
      this.file = file;
      this.temp = temp;
      try {
        out = new DataFileWriter<>(new SpecificDatumWriter<>(Prediction.class))
            .setCodec(CodecFactory.snappyCodec())
            .create(Prediction.getClassSchema(), Channels.newOutputStream(FileSystems.create(temp, MimeTypes.BINARY)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write predictions to " + temp, e);
      }
    }

    void append(Prediction prediction) {
      try {
        out.append(prediction);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write predictions to " + temp, e);
      }
    }

    /** Completes the file and moves it into place (replacing an earlier attempt's). */
    void commit() {
      try {
        out.close();
        out = null;
        FileSystems.rename(List.of(temp), List.of(file));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write predictions to " + file, e);
      }
    }

    @Override
    public void close() {
      if (out != null) { // not committed: the unit failed
        try {
          out.close();
          FileSystems.delete(List.of(temp), StandardMoveOptions.IGNORE_MISSING_FILES);
        } catch (IOException e) {
          // The unit's own failure is what the runner reports; a leftover hidden temporary file is harmless.
        }
      }
    }
  }
}
