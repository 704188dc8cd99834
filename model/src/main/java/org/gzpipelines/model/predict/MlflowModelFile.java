package org.gzpipelines.model.predict;

import ai.djl.engine.Engine;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.gzpipelines.model.data.HostBatch;
import org.gzpipelines.taxonomy.Answer;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;

/**
 * The MLflow model metadata of a saved model folder, so that MLflow's own clients and UI understand
 * it: {@code MLmodel} (YAML: a {@code djl} flavor naming the files, the engine, the network, the
 * input and its preprocessing and the 37 outputs; a model signature; the input example) and {@code
 * input_example.json} (one training image as the network sees it). MLflow has no DJL flavor, so
 * nothing loads the folder automatically; the flavor says everything a loader needs (the user
 * guide shows one in Python).
 */
final class MlflowModelFile {

  static final String FILE = "MLmodel";
  static final String INPUT_EXAMPLE = "input_example.json";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
  private static final ObjectMapper JSON = new ObjectMapper();
  /** MLflow's own format for utc_time_created. */
  private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  private MlflowModelFile() {}

  /**
   * Writes both files into {@code dir}.
   *
   * @param network the trained network, or null for the mean baseline (no parameter file)
   * @param example a batch whose first image becomes the input example
   */
  static void write(Path dir, Block network, SavedModel.Info info, HostBatch example) throws IOException {
    JSON.writeValue(dir.resolve(INPUT_EXAMPLE).toFile(), inputExample(example));
    YAML.writeValue(dir.resolve(FILE).toFile(), mlmodel(network, info));
  }

  private static ObjectNode mlmodel(Block network, SavedModel.Info info) throws IOException {
    ObjectNode root = YAML.createObjectNode();
    ObjectNode djl = root.putObject("flavors").putObject("djl");
    djl.put("engine", "PyTorch");
    djl.put("djl_version", Engine.getDjlVersion());
    djl.put("model_name", SavedModel.NAME);
    // DJL's parameter encoding, not a torch state_dict: each tensor in the order below.
    djl.put("model_file", network == null ? null : SavedModel.NAME + "-0000.params");
    ArrayNode names = djl.putArray("parameter_names");
    if (network != null) {
      for (Pair<String, Parameter> p : network.getParameters()) {
        names.add(p.getKey());
      }
    }
    djl.put("config_file", SavedModel.CONFIG_FILE);
    djl.put("info_file", SavedModel.INFO_FILE);
    ObjectNode net = djl.putObject("network");
    net.put("architecture", info.architecture());
    net.put("head", info.head());
    net.put("parameters", info.parameters());
    ObjectNode input = djl.putObject("input");
    input.set("shape", shape(info));
    input.put("dtype", "float32");
    input.put("layout", "NCHW");
    input.put("values", "pixel / 255, in [0, 1]");
    djl.set("preprocessing", JSON.valueToTree(info.preprocessing())); // null: not recorded
    ArrayNode outputs = djl.putArray("outputs");
    for (Answer a : GalaxyZooTaxonomy.answers()) {
      outputs.add(a.id());
    }
    djl.put("outputs_meaning", "Galaxy Zoo 2 vote fractions, Kaggle column order (Class1.1 ... Class11.6)");

    root.put("model_uuid", UUID.randomUUID().toString().replace("-", ""));
    ObjectNode signature = root.putObject("signature");
    // MLflow stores the two schemas as JSON strings inside the YAML.
    ArrayNode inputs = JSON.createArrayNode();
    ObjectNode tensor = inputs.addObject().put("type", "tensor").putObject("tensor-spec");
    tensor.put("dtype", "float32");
    tensor.set("shape", shape(info));
    signature.put("inputs", JSON.writeValueAsString(inputs));
    ArrayNode columns = JSON.createArrayNode();
    for (Answer a : GalaxyZooTaxonomy.answers()) {
      columns.addObject().put("type", "float").put("name", a.id()).put("required", true);
    }
    signature.put("outputs", JSON.writeValueAsString(columns));
    signature.putNull("params");
    ObjectNode example = root.putObject("saved_input_example_info");
    example.put("artifact_path", INPUT_EXAMPLE);
    example.put("type", "ndarray");
    root.put("utc_time_created", ZonedDateTime.now(ZoneOffset.UTC).format(CREATED));
    return root;
  }

  /** [-1, channels, height, width]: any batch size. */
  private static ArrayNode shape(SavedModel.Info info) {
    return JSON.createArrayNode().add(-1).add(info.channels()).add(info.height()).add(info.width());
  }

  /** The first image of the batch as a [1][C][H][W] array of pixel / 255, as the network takes it. */
  private static float[][][][] inputExample(HostBatch b) {
    float[][][][] image = new float[1][b.channels()][b.height()][b.width()];
    for (int y = 0; y < b.height(); y++) {
      for (int x = 0; x < b.width(); x++) {
        for (int c = 0; c < b.channels(); c++) {
          image[0][c][y][x] = (b.pixels()[(y * b.width() + x) * b.channels() + c] & 0xFF) / 255f;
        }
      }
    }
    return image;
  }
}
