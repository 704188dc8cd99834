package org.gzpipelines.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * {@code manifest.json} of an ingest output: what went in, with which parameters, and what came
 * out. Training runs log it as data provenance; a re-run of ingest compares against it.
 *
 * @param images the images folder or archive, as given
 * @param labels the labels CSV, or null for unlabelled images
 * @param inputChecksum {@link InputFingerprint} of images + labels
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
    Map<String, Object> parameters,
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

  /** Whether this output was made from inputs, parameters and a schema with these fingerprints. */
  public boolean describes(String checksum, String schemaFingerprint, Map<String, Object> params) {
    return inputChecksum.equals(checksum)
        && avroSchemaFingerprint.equals(schemaFingerprint)
        && asTree(parameters).equals(asTree(params));
  }

  /** Through JSON text, so that 42 written as a long equals 42 read back as an int. */
  private static com.fasterxml.jackson.databind.JsonNode asTree(Map<String, Object> map) {
    try {
      return JSON.readTree(JSON.writeValueAsString(map));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Manifest read(Path dir) throws IOException {
    return JSON.readValue(dir.resolve(FILE_NAME).toFile(), Manifest.class);
  }

  /** Writes {@code <dir>/manifest.json} through a temporary file and a rename. */
  public void write(Path dir) throws IOException {
    Path tmp = dir.resolve(FILE_NAME + ".tmp");
    JSON.writeValue(tmp.toFile(), this);
    Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
