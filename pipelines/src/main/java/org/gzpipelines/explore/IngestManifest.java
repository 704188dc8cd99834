package org.gzpipelines.explore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of the ingest stage's {@code manifest.json} the report uses: the original image size,
 * the input location (to re-read a few original images) and the input bytes. Looked up by field
 * name anywhere in the document, so the report does not break when the manifest gains sections.
 */
public final class IngestManifest {
  public static final String FILE = "manifest.json";

  private final JsonNode root;

  private IngestManifest(JsonNode root) {
    this.root = root;
  }

  /** The manifest of an ingested folder, or empty where it has none. */
  public static Optional<IngestManifest> read(Path dataDir) throws IOException {
    Path file = dataDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(new IngestManifest(new ObjectMapper().readTree(file.toFile())));
    } catch (IOException e) {
      throw new IOException(file + " is not valid JSON (" + e.getMessage()
          + "); re-run gz ingest to rewrite it, or delete it to explore without it", e);
    }
  }

  /** Width of the original images; ingest's {@code expectedSize} (0 there means "any size"). */
  public Optional<Integer> originalWidth() {
    return intField("originalWidth", "expectedSize", "inputSize").filter(v -> v > 0);
  }

  public Optional<Integer> originalHeight() {
    return intField("originalHeight", "expectedSize", "inputSize").filter(v -> v > 0);
  }

  /** Side of ingest's centre crop. */
  public Optional<Integer> cropSize() {
    return intField("cropSize").filter(v -> v > 0);
  }

  /** Side of the stored (downsampled) images. */
  public Optional<Integer> outputSize() {
    return intField("outputSize").filter(v -> v > 0);
  }

  public Optional<Integer> originalChannels() {
    return intField("originalChannels", "inputChannels", "channels");
  }

  /** Total bytes of the original image files, where the manifest records them. */
  public Optional<Long> inputBytes() {
    return find(root, "inputBytes", "imageBytes", "totalInputBytes", "originalBytes").map(JsonNode::asLong);
  }

  /** The images input (folder or archive) ingest read, where the manifest records it. */
  public Optional<String> imagesInput() {
    return find(root, "images", "imagesPath", "input", "inputPath")
        .filter(JsonNode::isTextual).map(JsonNode::asText);
  }

  private Optional<Integer> intField(String... names) {
    return find(root, names).filter(JsonNode::canConvertToInt).map(JsonNode::asInt);
  }

  /** The first field with one of the names, depth first, in the order the names are given. */
  private static Optional<JsonNode> find(JsonNode node, String... names) {
    for (String name : names) {
      Optional<JsonNode> hit = findOne(node, name);
      if (hit.isPresent()) {
        return hit;
      }
    }
    return Optional.empty();
  }

  private static Optional<JsonNode> findOne(JsonNode node, String name) {
    if (node.isObject()) {
      if (node.has(name) && !node.get(name).isContainerNode()) {
        return Optional.of(node.get(name));
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Optional<JsonNode> hit = findOne(it.next().getValue(), name);
        if (hit.isPresent()) {
          return hit;
        }
      }
    }
    return Optional.empty();
  }
}
