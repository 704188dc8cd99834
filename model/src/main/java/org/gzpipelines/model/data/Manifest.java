package org.gzpipelines.model.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.common.hash.Hashing;
import com.google.common.io.MoreFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.gzpipelines.files.AtomicFiles;

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
 * @param shards the Avro files of each folder ({@link #SHARD_FOLDERS}) as written, which every
 *     reader checks them against ({@link ShardCheck}); null in manifests written before they were
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
    String createdAt,
    Map<String, List<Shard>> shards) {

  public static final String FILE_NAME = "manifest.json";
  /** The folders of an ingest output that hold Avro files: the splits, then the dead letters. */
  public static final List<String> SHARD_FOLDERS = List.of("train", "val", "test", "dead-letter");

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

  /**
   * One Avro file of the output, as ingest wrote it.
   *
   * @param file its name within its folder
   * @param records its record count
   * @param bytes its size
   * @param sha256 hex SHA-256 of its content (what {@code sha256sum} prints)
   */
  public record Shard(String file, long records, long bytes, String sha256) {

    /** Measures a file: size, records from its block headers, and a hash of every byte. */
    public static Shard of(Path file) throws IOException {
      return new Shard(file.getFileName().toString(), AvroBlocks.records(file), Files.size(file), sha256(file));
    }

    static String sha256(Path file) throws IOException {
      return MoreFiles.asByteSource(file).hash(Hashing.sha256()).toString();
    }
  }

  /**
   * Measures every {@code *.avro} file of {@code dir}'s {@link #SHARD_FOLDERS} (a folder that is
   * absent is left out), in name order: what ingest records once its output is complete.
   */
  public static Map<String, List<Shard>> measureShards(Path dir) throws IOException {
    Map<String, List<Shard>> shards = new LinkedHashMap<>();
    for (String folder : SHARD_FOLDERS) {
      if (Files.isDirectory(dir.resolve(folder))) {
        List<Shard> files = new ArrayList<>();
        for (Path f : avroFiles(dir.resolve(folder))) {
          files.add(Shard.of(f));
        }
        shards.put(folder, files);
      }
    }
    return shards;
  }

  /** The {@code *.avro} files of a folder, in name order (none when it does not exist). */
  static List<Path> avroFiles(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".avro") && Files.isRegularFile(f)).sorted().toList();
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

  /**
   * The identity of the ingested data: a hash of every train, validation and test shard's name and
   * sha256 (dead letters left out). Ingest writes the same shards for the same inputs and
   * parameters, so equal data gives an equal value, whenever and wherever it was ingested.
   */
  public String contentFingerprint() {
    StringBuilder listing = new StringBuilder();
    shards.entrySet().stream().filter(e -> !e.getKey().equals("dead-letter"))
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> e.getValue().forEach(s -> listing.append(e.getKey()).append('/').append(s.file())
            .append(' ').append(s.sha256()).append('\n')));
    return Hashing.sha256().hashString(listing, StandardCharsets.UTF_8).toString();
  }

  /** The manifest of an ingested folder, or empty where it has none. */
  public static Optional<Manifest> find(Path dir) throws IOException {
    return java.nio.file.Files.isRegularFile(dir.resolve(FILE_NAME)) ? Optional.of(read(dir)) : Optional.empty();
  }

  /** Writes {@code <dir>/manifest.json} through a temporary file and a rename. */
  public void write(Path dir) throws IOException {
    AtomicFiles.write(dir.resolve(FILE_NAME), tmp -> JSON.writeValue(tmp.toFile(), this));
  }
}
