package org.gzpipelines.model.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;

/**
 * {@code manifest.json} of an ingest output: what went in, with which parameters, and what came
 * out. Ingest writes it; every later stage reads it through {@link #read}/{@link #find} (the one
 * reader): training logs it as data provenance and copies its {@link Parameters#preprocessing()}
 * into the saved model, explore reports it, a re-run of ingest compares against it.
 *
 * @param images the images folder or archive, relative to the folder ingest ran in, or {@code
 *     .../<file name>} where it was outside it (tracking's SharedPaths: the manifest is shared)
 * @param labels the labels CSV, in the same form, or null for unlabelled images
 * @param inputChecksum fingerprint of the images + labels (ingest's InputFingerprint)
 * @param inputFiles image files (or archives) seen
 * @param avroSchemaFingerprint parsing fingerprint (CRC-64-AVRO) of the Galaxy schema, hex
 * @param parameters every setting that changes the output
 * @param splitSeed seed of the GalaxyID hash that assigned the splits
 * @param records records written per split (TRAIN/VAL/TEST), augmented copies included
 * @param galaxies distinct galaxies per split (original images)
 * @param deadLetters dead letters per kind
 * @param deadLetterTotal all dead letters
 * @param maxMeanDifference largest |mean(train) - mean(val)| over the 37 labels (null unlabelled)
 * @param maxMeanDifferenceLabel the label where it occurs
 * @param generatorSeed seed of the synthetic generator when a truth.json sits beside the input
 * @param createdAt ISO-8601 time the output was created
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Manifest(
    String images,
    String labels,
    String inputChecksum,
    long inputFiles,
    String avroSchemaFingerprint,
    Parameters parameters,
    long splitSeed,
    Map<String, Long> records,
    Map<String, Long> galaxies,
    Map<String, Long> deadLetters,
    long deadLetterTotal,
    Double maxMeanDifference,
    String maxMeanDifferenceLabel,
    Long generatorSeed,
    String createdAt) {

  public static final String FILE_NAME = "manifest.json";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Every ingest setting that changes the output's content or layout.
   *
   * @param labelled whether labels were given (train/val splits) or not (test split)
   * @param resize how the crop was resized ({@link Preprocessing#AREA_AVERAGE})
   */
  public record Parameters(boolean labelled, int expectedSize, int cropSize, int outputSize, String resize,
      double trainFraction, long splitSeed, int augmentCopies, long augmentSeed, int recordsPerShard, int numShards) {

    /** How the stored images were made from the originals. */
    public Preprocessing preprocessing() {
      return new Preprocessing(expectedSize, cropSize, outputSize, resize, Preprocessing.RGB);
    }
  }

  /** Whether this output was made from inputs, parameters and a schema with these fingerprints. */
  public boolean describes(String checksum, String schemaFingerprint, Parameters params) {
    return inputChecksum.equals(checksum) && avroSchemaFingerprint.equals(schemaFingerprint) && parameters.equals(params);
  }

  /** Reads {@code <dir>/manifest.json}; an unreadable one is an error naming the file and the fix. */
  public static Manifest read(Path dir) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    try {
      return JSON.readValue(file.toFile(), Manifest.class);
    } catch (IOException e) {
      throw new IOException(file + " cannot be read (" + e.getMessage().lines().findFirst().orElse("")
          + "); delete it and re-run gz ingest to rewrite it", e);
    }
  }

  /** The manifest of an ingested folder, or empty where it has none. */
  public static Optional<Manifest> find(Path dir) throws IOException {
    return java.nio.file.Files.isRegularFile(dir.resolve(FILE_NAME)) ? Optional.of(read(dir)) : Optional.empty();
  }

  /** Writes {@code <dir>/manifest.json} through a temporary file and a rename. */
  public void write(Path dir) throws IOException {
    Path tmp = dir.resolve(FILE_NAME + ".tmp");
    JSON.writeValue(tmp.toFile(), this);
    Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
