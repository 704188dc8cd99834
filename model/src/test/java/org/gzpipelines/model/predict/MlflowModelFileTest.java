package org.gzpipelines.model.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.model.testing.SyntheticShards;
import org.gzpipelines.model.testing.TrainConfigs;
import org.gzpipelines.model.train.GalaxyTrainer;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.gzpipelines.tracking.TrackedRun;
import org.gzpipelines.tracking.Tracking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every saved model folder is an MLflow model: MLmodel with the djl flavor, the signature and the
 * input example, for a network and for the mean baseline; both are logged as the run's models.
 */
class MlflowModelFileTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void savedModelsCarryTheirMlflowMetadata() throws Exception {
    Path data = new SyntheticShards(16).write(dir.resolve("data"), 200, 40, 3);
    try (Tracking tracking = Tracking.offline(dir.resolve("runs"))) {
      GalaxyTrainer.Result cnn = train(tracking, TrainConfigs.write(dir, "cnn", "test", data, """
            custom-cnn: {filters: [4], dense: [8]}
            batch-size: 40
            max-images: 200
          """));
      Path best = cnn.workDir().resolve(GalaxyTrainer.BEST_MODEL_DIR);
      JsonNode mlmodel = YAML.readTree(best.resolve(MlflowModelFile.FILE).toFile());
      JsonNode djl = mlmodel.path("flavors").path("djl");
      assertEquals("PyTorch", djl.path("engine").asText());
      assertEquals("model-0000.params", djl.path("model_file").asText());
      assertTrue(Files.isRegularFile(best.resolve(djl.path("model_file").asText())));
      assertEquals("custom-cnn", djl.path("network").path("architecture").asText());
      assertEquals("sigmoid", djl.path("network").path("head").asText());
      assertEquals(List.of(-1, 3, 16, 16), ints(djl.path("input").path("shape")));
      assertEquals(16, djl.path("preprocessing").path("outputSize").asInt(), "the training data's preprocessing");
      assertEquals(GalaxyZooTaxonomy.ANSWER_COUNT, djl.path("outputs").size());
      assertEquals("Class1.1", djl.path("outputs").path(0).asText());
      assertEquals("Class11.6", djl.path("outputs").path(36).asText());
      assertEquals(6, djl.path("parameter_names").size(), "conv, dense and output layer: a weight and a bias each");

      JsonNode inputs = JSON.readTree(mlmodel.path("signature").path("inputs").asText());
      assertEquals("tensor", inputs.path(0).path("type").asText());
      assertEquals(List.of(-1, 3, 16, 16), ints(inputs.path(0).path("tensor-spec").path("shape")));
      JsonNode outputs = JSON.readTree(mlmodel.path("signature").path("outputs").asText());
      assertEquals(GalaxyZooTaxonomy.ANSWER_COUNT, outputs.size());
      assertEquals("Class8.6", outputs.path(GalaxyZooTaxonomy.answer("Class8.6").index()).path("name").asText());

      JsonNode example = JSON.readTree(best.resolve(mlmodel.path("saved_input_example_info").path("artifact_path").asText()).toFile());
      assertEquals(List.of(1, 3, 16, 16), List.of(example.size(), example.path(0).size(), example.path(0).path(0).size(),
          example.path(0).path(0).path(0).size()));
      double v = example.path(0).path(1).path(8).path(8).asDouble();
      assertTrue(v >= 0 && v <= 1, "pixel / 255: " + v);

      GalaxyTrainer.Result baseline = train(tracking, TrainConfigs.write(dir, "baseline", "test", data,
          "  architecture: mean-baseline\n"));
      JsonNode mean = YAML.readTree(baseline.workDir().resolve(GalaxyTrainer.MODEL_DIR).resolve(MlflowModelFile.FILE).toFile());
      assertTrue(mean.path("flavors").path("djl").path("model_file").isNull(), "the mean baseline has no weights file");
      assertEquals("mean-baseline", mean.path("flavors").path("djl").path("network").path("architecture").asText());

      Map<?, ?> logged = JSON.readValue(cnn.workDir().getParent().resolve("meta.json").toFile(), Map.class);
      assertEquals(List.of("best-model", "model"), List.copyOf(((Map<?, ?>) logged.get("loggedModels")).keySet()),
          "both folders are logged as the run's models");
    }
  }

  private static GalaxyTrainer.Result train(Tracking tracking, ExperimentConfigFile config) {
    TrackedRun run = tracking.startRun("test", config.file().getFileName().toString());
    return new GalaxyTrainer(config).console(null).train(run, null);
  }

  private static List<Integer> ints(JsonNode array) {
    return JSON.convertValue(array, JSON.getTypeFactory().constructCollectionType(List.class, Integer.class));
  }
}
