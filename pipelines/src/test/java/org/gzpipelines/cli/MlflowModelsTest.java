package org.gzpipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gzpipelines.predict.ModelRef;
import org.gzpipelines.run.Study;
import org.gzpipelines.testing.TinyStudy;
import org.gzpipelines.tracking.MlflowPython;
import org.gzpipelines.tracking.MlflowTestServer;
import org.gzpipelines.tracking.RunSummary;
import org.gzpipelines.tracking.Tracking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Trained models as a user of MLflow finds them, with MLflow's own Python client against the real
 * server: a tiny {@code gz run} logs the training run's model folders as logged models and
 * registers the best; the client finds them, reads the MLmodel (djl flavor, signature, input
 * example), finds the registered version, and reads its weights with the user guide's own lines;
 * then {@code gz evaluate --model models:/<name>/<version>} evaluates the model fetched from the
 * server, and {@code runs:/<id>/best-model} resolves on a machine without the run folder.
 */
class MlflowModelsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The guide's Python lines, checked below; they read models:/galaxy-zoo/1. */
  private static final Pattern GUIDE_PYTHON = Pattern.compile("```python\n(.*?)```", Pattern.DOTALL);

  private static final String CHECKS = """
      import json, sys
      import mlflow
      from mlflow import MlflowClient
      from mlflow.models import Model

      run_id, experiment, guide = sys.argv[1:4]
      client = MlflowClient()
      experiment_id = client.get_experiment_by_name(experiment).experiment_id
      models = mlflow.search_logged_models(experiment_ids=[experiment_id],
                                           filter_string=f"source_run_id = '{run_id}'", output_format="list")
      best = next(m for m in models if m.name == "best-model")
      meta = Model.load(f"models:/{best.model_id}")
      djl = meta.flavors["djl"]
      versions = client.search_model_versions(f"name = '{experiment}'")
      uri = f"models:/{experiment}/{versions[0].version}"
      client.set_registered_model_alias(experiment, "champion", versions[0].version)
      path = mlflow.artifacts.download_artifacts(uri)
      example = Model.load(path).load_input_example(path)
      scope = {}
      exec(guide.replace("models:/galaxy-zoo/1", uri), scope)
      weights = scope["weights"]
      print(json.dumps({
          "logged": sorted(m.name for m in models),
          "status": sorted({str(m.status) for m in models}),
          "engine": djl["engine"],
          "architecture": djl["network"]["architecture"],
          "parameters": djl["network"]["parameters"],
          "outputs": djl["outputs"],
          "input": list(meta.signature.inputs.inputs[0].shape),
          "columns": meta.signature.outputs.input_names(),
          "example": list(example.shape),
          "versions": [{"version": v.version, "run_id": v.run_id, "source": v.source} for v in versions],
          "best_model_id": best.model_id,
          "best_metrics": {m.key: m.value for m in best.metrics},
          "run_best_val_rmse": min(m.value for m in client.get_metric_history(run_id, "val_rmse")),
          "below": [m.name for m in mlflow.search_logged_models(
              experiment_ids=[experiment_id], output_format="list",
              filter_string=f"source_run_id = '{run_id}' AND metrics.val_rmse < 10")],
          "tensors": len(weights),
          "names": len(djl["parameter_names"]),
          "weights": int(sum(w.size for w in weights.values())),
          "largest": float(max(abs(w).max() for w in weights.values())),
      }))
      """;

  @Test
  void aStudysModelsAreLoggedRegisteredAndFetchedByUri(@TempDir Path dir) throws Exception {
    String uri = MlflowTestServer.shared();
    System.setProperty(Tracking.URI_PROPERTY, uri);
    try {
      String experiment = "gz-models-test-" + System.nanoTime();
      Path config = TinyStudy.config(dir, "models", experiment, "[synth, ingest, train]", "[8]");
      CommandLine gz = Gz.commandLine();
      String output = run(gz, "run", "--config", config.toString());
      Study.Outcome outcome = ((RunCommand) gz.getSubcommands().get("run").getCommand()).outcome();
      String trainRun = outcome.trainRunIds().get(0);
      assertTrue(output.contains("registered as models:/" + experiment + "/1"), output);

      String guide = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("docs/USER-GUIDE.md"));
      Matcher python = GUIDE_PYTHON.matcher(guide);
      assertTrue(python.find(), "the guide shows how to load the weights in Python");
      JsonNode seen = JSON.readTree(MlflowPython.run(uri, CHECKS, trainRun, experiment, python.group(1)));

      assertEquals(List.of("best-model", "model"), texts(seen.path("logged")), "both folders are logged models");
      assertEquals(List.of("READY"), texts(seen.path("status")));
      assertEquals(seen.path("run_best_val_rmse").asDouble(), seen.path("best_metrics").path("val_rmse").asDouble(),
          "the best model carries its validation RMSE as a metric (the Models tab sorts by it)");
      assertTrue(texts(seen.path("below")).contains("best-model"), "and a search on it finds the model");
      assertEquals("PyTorch", seen.path("engine").asText());
      assertEquals("custom-cnn", seen.path("architecture").asText());
      assertEquals(37, seen.path("outputs").size());
      assertEquals("Class1.1", seen.path("outputs").path(0).asText());
      assertEquals(List.of("-1", "3", "32", "32"), texts(seen.path("input")), "signature: a float32 NCHW tensor");
      assertEquals(37, seen.path("columns").size());
      assertEquals(List.of("1", "3", "32", "32"), texts(seen.path("example")), "one image as the input example");
      JsonNode version = seen.path("versions").path(0);
      assertEquals(1, seen.path("versions").size());
      assertEquals(trainRun, version.path("run_id").asText(), "the version links the training run");
      assertEquals("models:/" + seen.path("best_model_id").asText(), version.path("source").asText());
      assertEquals(seen.path("names").asInt(), seen.path("tensors").asInt(), "a name for every tensor");
      assertEquals(seen.path("parameters").asLong(), seen.path("weights").asLong(), "the guide's reader finds every weight");
      assertTrue(seen.path("largest").asDouble() < 100, "weights read in the right byte order");

      Path evaluations = dir.resolve("evaluations");
      run(Gz.commandLine(), "evaluate", "--model", "models:/" + experiment + "/1", "--data", dir.resolve("data").toString(),
          "--output", evaluations.toString());
      try (Tracking tracking = Tracking.fromEnvironment()) {
        RunSummary evaluate = tracking.findRuns(experiment, "tags.`gz.stage` = 'evaluate'").get(0);
        assertEquals(trainRun, evaluate.tags().get("mlflow.parentRunId"), "a child of the model's training run");
        assertTrue(evaluate.latestMetrics().containsKey("val_rmse"));
      }
      // With --experiment, in the experiment named: a top-level run there, tagged with the model.
      String named = experiment + "-evaluations";
      run(Gz.commandLine(), "evaluate", "--model", "models:/" + experiment + "/1", "--data", dir.resolve("data").toString(),
          "--output", dir.resolve("evaluations-elsewhere").toString(), "--experiment", named);
      try (Tracking tracking = Tracking.fromEnvironment()) {
        RunSummary evaluate = tracking.findRuns(named, "tags.`gz.stage` = 'evaluate'").get(0);
        assertEquals(null, evaluate.tags().get("mlflow.parentRunId"));
        assertTrue(evaluate.runName().startsWith("evaluate ") && evaluate.runName().endsWith("data"), "named by its data: "
            + evaluate.runName());
        assertEquals(trainRun, evaluate.tags().get("gz.model"), "the model, by its training run");
      }

      // A study whose config names the model by alias looks it up once (its fingerprint and its stage).
      Path byAlias = TinyStudy.config(dir, "alias", experiment, "[real-sample]", "[8]",
          "real-sample: {model: 'models:/" + experiment + "@champion', output: " + dir.resolve("real-sample") + ", sample: "
              + Path.of("").toAbsolutePath().getParent().resolve("samples/gz2-real") + "}");
      String aliased = run(Gz.commandLine(), "run", "--config", byAlias.toString());
      assertEquals(1, aliased.split(Pattern.quote("is models:/" + experiment + "/1"), -1).length - 1, aliased);

      try (Tracking elsewhere = Tracking.connect(uri, dir.resolve("other-runs"))) {
        ModelRef fetched = ModelRef.resolve("runs:/" + trainRun + "/best-model", elsewhere);
        assertEquals(trainRun, fetched.runId());
        assertTrue(fetched.modelDir().startsWith(dir.resolve("other-runs").resolve(ModelRef.CACHE_DIR)));
        assertTrue(Files.isRegularFile(fetched.modelDir().resolve("MLmodel")));
        // A registered name the server does not know (gz train registers none): what to give instead.
        String nowhere = "models:/" + experiment + "-trained-alone/latest";
        RuntimeException missing = assertThrows(RuntimeException.class, () -> ModelRef.resolve(nowhere, elsewhere));
        assertTrue(missing.getMessage().contains(" has no registered model '" + experiment + "-trained-alone'. gz run registers")
            && missing.getMessage().contains("runs:/<run id>/best-model"), missing.getMessage());
        // A version the registered model does not have: the versions it has.
        RuntimeException noVersion = assertThrows(RuntimeException.class,
            () -> ModelRef.resolve("models:/" + experiment + "/9", elsewhere));
        assertTrue(noVersion.getMessage().contains("models:/" + experiment + "/9: the registered model '" + experiment
            + "' on ") && noVersion.getMessage().contains(" has no such version; its versions: 1 (models:/"), noVersion.getMessage());
        // The run's full id alone, as the MLflow UI shows it, names the same model.
        ModelRef byId = ModelRef.resolve(trainRun, elsewhere);
        assertEquals(trainRun, byId.runId());
        assertEquals(fetched.modelDir(), byId.modelDir());
      }
    } finally {
      System.clearProperty(Tracking.URI_PROPERTY);
    }
  }

  /** Runs a gz command in this JVM; returns what it printed, failing on a non-zero exit. */
  private static String run(CommandLine gz, String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      int code = gz.execute(args);
      System.setOut(previous);
      String output = bytes.toString(StandardCharsets.UTF_8);
      assertEquals(0, code, String.join(" ", args) + ":\n" + output);
      return output;
    } finally {
      System.setOut(previous);
    }
  }

  private static List<String> texts(JsonNode array) {
    return JSON.convertValue(array, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
  }
}
