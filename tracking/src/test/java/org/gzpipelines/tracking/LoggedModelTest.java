package org.gzpipelines.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Model folders logged as MLflow 3 logged models (online, and offline then synced), registered in
 * the Model Registry, and fetched back by URI: against the real server, checked through its REST API.
 */
class LoggedModelTest extends ServerTestBase {

  /** A model folder with a binary file in a subfolder, named best-model. */
  private Path modelFolder() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("work/best-model"));
    byte[] weights = new byte[200_000];
    new Random(3).nextBytes(weights);
    Files.write(Files.createDirectories(dir.resolve("sub")).resolve("weights.bin"), weights);
    Files.writeString(dir.resolve("MLmodel"), "flavors: {djl: {engine: PyTorch}}\n");
    return dir;
  }

  @Test
  void aLoggedModelIsReadyWithItsFilesRegistersOnceAndDownloads() throws Exception {
    Path model = modelFolder();
    String experiment = "test-" + UUID.randomUUID();
    try (Tracking tracking = Tracking.connect(uri, tmp.resolve("runs"))) {
      String runId;
      try (TrackedRun run = tracking.startRun(experiment, "train")) {
        runId = run.runId();
        MetricPoint saved = new MetricPoint("val_rmse", 0.12, 512, 1_700_000_000_000L);
        run.logMetric(saved.key(), saved.value(), saved.step(), saved.timestamp());
        run.logModel(model, Map.of("architecture", "custom-cnn"), List.of(saved));
      }
      JsonNode info = loggedModel(runId, "best-model");
      assertEquals("LOGGED_MODEL_READY", info.path("status").asText());
      String modelId = info.path("model_id").asText();
      JsonNode logged = rest.get("/api/2.0/mlflow/logged-models/" + modelId).path("model");
      Map<String, String> modelTags = new HashMap<>();
      logged.path("info").path("tags").forEach(t -> modelTags.put(t.path("key").asText(), t.path("value").asText()));
      Map<String, String> runTags = new HashMap<>();
      rest.run(runId).path("data").path("tags").forEach(t -> runTags.put(t.path("key").asText(), t.path("value").asText()));
      assertEquals(runTags.get("mlflow.source.name"), modelTags.get("mlflow.source.name"),
          "the Models tab's 'Logged from', as the run's Source");
      assertFalse(modelTags.get("mlflow.source.name").isBlank());
      JsonNode metric = logged.path("data").path("metrics").path(0);
      assertEquals("val_rmse", metric.path("key").asText(), "the Models tab sorts by it");
      assertEquals(0.12, metric.path("value").asDouble());
      assertEquals(512, metric.path("step").asLong());
      assertEquals(1, rest.get("/api/2.0/mlflow/metrics/get-history", "run_id", runId, "metric_key", "val_rmse")
          .path("metrics").size(), "the run's history keeps its one point");
      assertEquals(modelId, LocalRunFolder.open(tmp.resolve("runs").resolve(runId)).readSync().modelsConfirmed.get("best-model"));
      assertTrue(rest.artifacts(runId).containsKey("best-model/sub/weights.bin"), "also the run's artifact folder");
      JsonNode outputs = rest.run(runId).path("outputs").path("model_outputs");
      assertEquals(modelId, outputs.path(0).path("model_id").asText(), "the run lists it under its logged models");
      assertEquals(512, outputs.path(0).path("step").asLong(), "at the step where it was saved, that of its metrics");

      ModelVersion v1 = tracking.registerModel(runId, "best-model", experiment).orElseThrow();
      assertEquals("1", v1.version());
      assertTrue(v1.created());
      ModelVersion again = tracking.registerModel(runId, "best-model", experiment).orElseThrow();
      assertEquals(v1.uri(), again.uri(), "the same model keeps its version");
      assertFalse(again.created(), "and says so");
      JsonNode version = rest.get("/api/2.0/mlflow/model-versions/get", "name", experiment, "version", "1")
          .path("model_version");
      assertEquals(runId, version.path("run_id").asText(), "the version links its run");
      assertEquals("models:/" + modelId, version.path("source").asText());

      Path cache = tmp.resolve("cache");
      rest.post("/api/2.0/mlflow/registered-models/alias",
          "{\"name\": \"" + experiment + "\", \"alias\": \"champion\", \"version\": \"1\"}");
      // Every form an MLflow user copies from the UI or the registry: a version, an alias, latest,
      // the logged model's id (a version's source) and the run's artifact folder.
      for (String modelUri : new String[] {v1.uri(), "models:/" + experiment + "@champion", "models:/" + experiment + "/latest",
          "models:/" + modelId, "runs:/" + runId + "/best-model"}) {
        DownloadedModel fetched = tracking.downloadModel(modelUri, cache);
        assertEquals(runId, fetched.runId(), modelUri);
        assertEquals(modelUri.contains("@") || modelUri.endsWith("/latest") ? v1.uri() : modelUri, fetched.uri(),
            "an alias or latest as the version it meant");
        assertArrayEquals(Files.readAllBytes(model.resolve("sub/weights.bin")),
            Files.readAllBytes(fetched.dir().resolve("sub/weights.bin")), modelUri);
        assertEquals(Files.readString(model.resolve("MLmodel")), Files.readString(fetched.dir().resolve("MLmodel")));
        assertEquals(fetched, tracking.downloadModel(modelUri, cache), "fetched once, then from the cache");
      }
      assertThrows(TrackingException.class, () -> tracking.downloadModel("models:/" + experiment + "/7", cache));
      assertThrows(TrackingException.class, () -> tracking.downloadModel("models:/" + experiment + "@nobody", cache));
    }
  }

  @Test
  void anOfflineModelIsCreatedAndRegisteredBySync() throws Exception {
    Path model = modelFolder();
    Path runs = tmp.resolve("runs");
    String registered = "test-" + UUID.randomUUID();
    String localId;
    try (Tracking offline = Tracking.offline(runs)) {
      try (TrackedRun run = offline.startRun("test-" + UUID.randomUUID(), "train")) {
        localId = run.runId();
        run.logMetric("val_rmse", 0.2, 64, 1_700_000_000_000L);
        run.logModel(model, Map.of("architecture", "resnet18"), List.of(new MetricPoint("val_rmse", 0.2, 64, 1_700_000_000_000L)));
      }
      assertTrue(offline.registerModel(localId, "best-model", registered).isEmpty(), "left for gz sync");
    }
    try (Tracking tracking = Tracking.connect(uri, runs)) {
      SyncReport report = tracking.sync(runs.resolve(localId)).get(0);
      String serverId = report.serverRunId();
      assertEquals(List.of("models:/" + registered + "/1"), report.registered(), "the report says what sync registered");
      assertTrue(report.toString().endsWith("; registered models:/" + registered + "/1"), report.toString());
      JsonNode info = loggedModel(serverId, "best-model");
      assertEquals("LOGGED_MODEL_READY", info.path("status").asText());
      JsonNode data = rest.get("/api/2.0/mlflow/logged-models/" + info.path("model_id").asText()).path("model").path("data");
      assertEquals("resnet18", data.path("params").path(0).path("value").asText());
      assertEquals(0.2, data.path("metrics").path(0).path("value").asDouble(), "its metric, linked by sync");
      assertEquals(1, tracking.sync(runs.resolve(localId)).size());
      assertEquals(info.path("model_id").asText(), loggedModel(serverId, "best-model").path("model_id").asText(),
          "a second sync makes no twin");
      JsonNode version = rest.get("/api/2.0/mlflow/model-versions/get", "name", registered, "version", "1")
          .path("model_version");
      assertEquals(serverId, version.path("run_id").asText(), "sync registered the model, linked to its run");
      assertEquals("models:/" + info.path("model_id").asText(), version.path("source").asText());
      assertEquals("1", tracking.registerModel(localId, "best-model", registered).orElseThrow().version(),
          "a synced run registers by its local id, and once");
    }
  }

  @Test
  void aNewVersionWorseThanAnEarlierOneIsNamed() throws Exception {
    Path model = modelFolder();
    String name = "test-" + UUID.randomUUID();
    try (Tracking tracking = Tracking.connect(uri, tmp.resolve("runs"))) {
      // Its best model scored 0.10; its last evaluation, after it, 0.30.
      ModelVersion good = registered(tracking, name, model, 0.10, 0.30);
      assertTrue(tracking.betterVersion(good, "val_rmse").isEmpty(), "the only version");
      ModelVersion worse = registered(tracking, name, model, 0.20);
      assertEquals(good.version(), tracking.betterVersion(worse, "val_rmse").orElseThrow().version(),
          "versions compare by their best models, not by their runs' last evaluations");
      ModelVersion best = registered(tracking, name, model, 0.05);
      assertTrue(tracking.betterVersion(best, "val_rmse").isEmpty(), "none better than the newest");
    }
  }

  /** A training run with these evaluations' val_rmse whose model is registered under {@code name}. */
  private static ModelVersion registered(Tracking tracking, String name, Path model, double... valRmse) {
    try (TrackedRun run = tracking.startRun(name, "train")) {
      for (int i = 0; i < valRmse.length; i++) {
        run.logMetric("val_rmse", valRmse[i], 100L * (i + 1));
      }
      run.logModel(model, Map.of(), List.of());
      run.end(RunStatus.FINISHED);
      return tracking.registerModel(run.runId(), "best-model", name).orElseThrow();
    }
  }

  /** The run's logged model of that name, as the server's search finds it (exactly one). */
  private static JsonNode loggedModel(String runId, String name) throws Exception {
    String experimentId = rest.run(runId).path("info").path("experiment_id").asText();
    JsonNode found = rest.post("/api/2.0/mlflow/logged-models/search",
        "{\"experiment_ids\": [\"" + experimentId + "\"]}").path("models");
    JsonNode match = null;
    int count = 0;
    for (JsonNode m : found) {
      if (runId.equals(m.path("info").path("source_run_id").asText()) && name.equals(m.path("info").path("name").asText())) {
        match = m.path("info");
        count++;
      }
    }
    assertEquals(1, count, "logged models named " + name + " of run " + runId + ": " + found);
    return match;
  }
}
