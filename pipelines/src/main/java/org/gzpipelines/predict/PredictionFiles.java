package org.gzpipelines.predict;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.gzpipelines.schemas.Prediction;

/**
 * The predictions the pipeline wrote into one folder ({@code part-*.avro}), streamed one record at
 * a time in a fixed order (parts by name, records in file order), so the driver's memory does not
 * grow with the number of galaxies and two passes see the galaxies in the same order.
 */
public final class PredictionFiles {

  private PredictionFiles() {}

  public static void forEach(Path dir, Consumer<Prediction> action) {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> parts = files.filter(f -> f.getFileName().toString().endsWith(".avro")).sorted().toList();
      for (Path part : parts) {
        try (DataFileReader<Prediction> r = new DataFileReader<>(part.toFile(), new SpecificDatumReader<>(Prediction.class))) {
          while (r.hasNext()) {
            action.accept(r.next());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read predictions in " + dir, e);
    }
  }
}
