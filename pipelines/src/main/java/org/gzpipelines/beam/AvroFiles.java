package org.gzpipelines.beam;

import com.google.common.hash.Hashing;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;
import org.gzpipelines.files.FileTrees;

/**
 * Avro files outside AvroIO: reads back on the driver a small file a pipeline wrote ({@code
 * AvroIO.write(...).withoutSharding()}: a sample, the galaxies a figure shows) or one ingested
 * shard, whole, or streams a large one (a work unit's predictions); and creates the files that
 * steps write themselves (ingest's shards, a work unit's predictions) the way AvroIO would; and
 * tidies what AvroIO leaves behind in an output folder.
 */
public final class AvroFiles {

  private AvroFiles() {}

  /** Reads a whole (small) Avro file of one record type. */
  public static <T extends SpecificRecord> List<T> read(Path file, Class<T> type) throws IOException {
    List<T> out = new ArrayList<>();
    forEach(file, type, out::add);
    return out;
  }

  /** Streams the records of an Avro file of one record type, one at a time, in file order. */
  public static <T extends SpecificRecord> void forEach(Path file, Class<T> type, Consumer<T> action)
      throws IOException {
    try (DataFileReader<T> r = new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(type))) {
      while (r.hasNext()) {
        action.accept(r.next());
      }
    }
  }

  /**
   * Deletes the emptied ".temp-beam" folders that AvroIO and FileIO leave behind under {@code dir}
   * once their files are finalized (Beam removes the temporary files, not their folder).
   */
  public static void deleteTempFolders(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith(".temp-beam")).toList()) {
        FileTrees.delete(p);
      }
    }
  }

  /** A new Avro file of {@code type} at {@code file} on any Beam file system, Snappy-compressed like AvroIO's. */
  public static <T extends SpecificRecord> DataFileWriter<T> create(ResourceId file, Class<T> type) throws IOException {
    return create(file, type, CodecFactory.snappyCodec(), null);
  }

  /**
   * An uncompressed Avro file, for scratch files a step writes and reads back once (ingest's
   * temporary and staging files): Snappy would cost more CPU than the disk space it saves.
   */
  public static <T extends SpecificRecord> DataFileWriter<T> createScratch(ResourceId file, Class<T> type) throws IOException {
    return create(file, type, CodecFactory.nullCodec(), null);
  }

  /**
   * As {@link #create(ResourceId, Class)}, with the file's 16-byte sync marker derived from {@code
   * identity} instead of drawn at random (Avro's default), so that the same records written in the
   * same order give the same bytes, and a checksum identifies the content.
   */
  public static <T extends SpecificRecord> DataFileWriter<T> createReproducible(ResourceId file, Class<T> type,
      String identity) throws IOException {
    return create(file, type, CodecFactory.snappyCodec(),
        Hashing.murmur3_128().hashString(identity, StandardCharsets.UTF_8).asBytes());
  }

  /** The one writer behind the three above; a null {@code sync} lets Avro draw the marker. */
  private static <T extends SpecificRecord> DataFileWriter<T> create(ResourceId file, Class<T> type, CodecFactory codec,
      byte[] sync) throws IOException {
    return new DataFileWriter<>(new SpecificDatumWriter<>(type)).setCodec(codec)
        .create(SpecificData.get().getSchema(type), Channels.newOutputStream(FileSystems.create(file, MimeTypes.BINARY)), sync);
  }
}
