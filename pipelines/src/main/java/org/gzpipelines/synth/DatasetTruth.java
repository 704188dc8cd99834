package org.gzpipelines.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What a synthetic dataset really contains, written as {@code truth.json} next to it: the options
 * it was made with and, for the labelled and the test set, the true merger fraction and every
 * galaxy's true morphology. Later stages (merger-fraction measurement, evaluation tests) compare
 * what they measure against it.
 *
 * @param generator what made the dataset
 * @param seed the master seed
 * @param options all generator parameters
 * @param training the labelled set
 * @param test the unlabelled test set, or null where none was made
 */
public record DatasetTruth(String generator, long seed, SynthOptions options, SetTruth training, SetTruth test) {

  /** The name of the file next to the dataset. */
  public static final String FILE_NAME = "truth.json";

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One image set.
   *
   * @param directory the image folder's name
   * @param count galaxies in it
   * @param requestedMergerFraction the fraction asked for
   * @param mergerCount mergers actually drawn (requested fraction times count, rounded)
   * @param trueMergerFraction mergerCount / count: the value a measurement should recover
   * @param galaxies every galaxy's true attributes, ids ascending
   */
  public record SetTruth(String directory, int count, double requestedMergerFraction, int mergerCount,
      double trueMergerFraction, List<SyntheticGalaxy> galaxies) {

    public SetTruth {
      galaxies = List.copyOf(galaxies);
    }
  }

  /** Reads a {@code truth.json}. */
  public static DatasetTruth read(Path file) throws IOException {
    return MAPPER.readValue(file.toFile(), DatasetTruth.class);
  }

  /** Writes this as JSON to {@code file}. */
  void write(Path file) throws IOException {
    MAPPER.writeValue(file.toFile(), this);
  }
}
