package org.gzpipelines.predict;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;
import org.gzpipelines.beam.AvroFiles;

/**
 * A folder of files that {@link PredictImages}' work units write themselves: unit {@code u} writes
 * {@code <dir>/part-<name>-<u in hex>.avro} (records: its predictions, or the galaxies it keeps as
 * candidates; Snappy like AvroIO) or {@code .csv} (a line per image), through a hidden temporary
 * file renamed into place when the unit is complete, so a retried unit replaces its own file and a
 * failed one leaves no part behind. The driver reads them back with {@link #forEach}.
 *
 * <p>Written by hand rather than with {@code AvroIO.write} or {@code TextIO.write}: the Direct
 * runner turns every write without a fixed shard count into a GroupByKey of the records themselves,
 * so all of them waited in the runner for the write step (about 1.4 KB a prediction), and the
 * grouped state is copied again for every bundle that adds to it. In gz evaluate the predictions'
 * write took 0.4 of 1.9 ms of CPU per record at 12,209 records (docs/BENCHMARKS.md, "Full scale").
 *
 * @param name distinguishes the writers of one folder (gz evaluate writes val and test into one)
 */
public record UnitParts(String dir, String name) implements Serializable {

  /** Unit {@code unit}'s file of {@code type} records. */
  <T extends SpecificRecord> Records<T> records(long unit, Class<T> type) {
    return new Records<>(new Part(this, unit, ".avro"), type);
  }

  /** Unit {@code unit}'s file of lines. */
  Lines lines(long unit) {
    return new Lines(new Part(this, unit, ".csv"));
  }

  /**
   * A unit's file of {@code T}, encoded by {@code W}: appended to, then committed; closed without a
   * commit (the unit failed), it leaves nothing.
   */
  abstract static class Writer<T, W extends AutoCloseable> implements AutoCloseable {
    /** Opens the encoder over a new file. */
    interface Opener<W> {
      W open(ResourceId file) throws IOException;
    }

    private final Part part;
    final W out;

    private Writer(Part part, Opener<W> opener) {
      this.part = part;
      try {
        this.out = opener.open(part.temp);
      } catch (IOException e) {
        throw part.failed(e);
      }
    }

    abstract void write(T value) throws IOException;

    void append(T value) {
      try {
        write(value);
      } catch (IOException e) {
        throw part.failed(e);
      }
    }

    /** Completes the file and moves it into place (replacing an earlier attempt's). */
    void commit() {
      part.commit(out);
    }

    @Override
    public void close() {
      part.discard(out);
    }
  }

  /** A unit's Avro records. */
  static final class Records<T extends SpecificRecord> extends Writer<T, DataFileWriter<T>> {
    private Records(Part part, Class<T> type) {
      super(part, file -> AvroFiles.create(file, type));
    }

    @Override
    void write(T record) throws IOException {
      out.append(record);
    }
  }

  /**
   * Streams the records of every part in {@code dir} (a local folder the units wrote), one at a
   * time in a fixed order (parts by name, records in file order), so the driver's memory does not
   * grow with the number of galaxies and two passes see them in the same order.
   */
  public static <T extends SpecificRecord> void forEach(Path dir, Class<T> type, Consumer<T> action) {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> parts = files.filter(f -> f.getFileName().toString().endsWith(".avro")).sorted().toList();
      for (Path part : parts) {
        AvroFiles.forEach(part, type, action);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir, e);
    }
  }

  /** A unit's lines, one per image. */
  static final class Lines extends Writer<String, BufferedWriter> {
    private Lines(Part part) {
      super(part, file -> new BufferedWriter(Channels.newWriter(FileSystems.create(file, MimeTypes.TEXT), StandardCharsets.UTF_8)));
    }

    @Override
    void write(String line) throws IOException {
      out.write(line);
      out.write('\n');
    }
  }

  /** The temporary file a part is written to and the name it is committed under. */
  private static final class Part {
    private final ResourceId file;
    private final ResourceId temp;
    private boolean open = true;

    Part(UnitParts parts, long unit, String suffix) {
      String prefix = parts.dir() + "/";
      this.file = FileSystems.matchNewResource(prefix + "part-" + parts.name() + "-" + Long.toHexString(unit) + suffix, false);
      this.temp = FileSystems.matchNewResource(prefix + ".part-" + parts.name() + "-" + UUID.randomUUID() + ".tmp", false);
    }

    void commit(AutoCloseable writer) {
      try {
        writer.close();
        open = false;
        FileSystems.rename(List.of(temp), List.of(file));
      } catch (Exception e) {
        throw new UncheckedIOException("cannot write " + file, e instanceof IOException io ? io : new IOException(e));
      }
    }

    /** Removes the temporary file of a part that was not committed (its unit failed). */
    void discard(AutoCloseable writer) {
      if (open) {
        open = false;
        try {
          writer.close();
          FileSystems.delete(List.of(temp), StandardMoveOptions.IGNORE_MISSING_FILES);
        } catch (Exception e) {
          // The unit's own failure is what the runner reports; a leftover hidden temporary file is harmless.
        }
      }
    }

    UncheckedIOException failed(IOException e) {
      return new UncheckedIOException("cannot write " + temp, e);
    }
  }
}
