package org.gzpipelines.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * MLflow 3's logged models over REST (the Java client 2.17 predates them), in the sequence MLflow's
 * own Python {@code log_model} follows: create the logged model with the run as its source, record
 * it as the run's output (the run page's "Logged models"), upload the files to the model's own
 * artifact root, link its metrics, finalize it READY.
 */
final class LoggedModels {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String READY = "LOGGED_MODEL_READY";

  private LoggedModels() {}

  /**
   * Puts the model {@code name} of a run folder (its artifact folder {@code <name>/}) on the server
   * as a logged model of the run, finishing one that an interrupted attempt left PENDING instead of
   * making a twin; returns the model's id.
   */
  static String upload(MlflowRemote remote, String experimentId, String serverRunId, String name,
      Map<String, String> params, List<MetricPoint> metrics, LocalRunFolder folder) {
    Optional<JsonNode> earlier = find(remote, experimentId, serverRunId, name);
    if (earlier.isPresent() && READY.equals(earlier.get().path("status").asText())) {
      return earlier.get().path("model_id").asText();
    }
    JsonNode model = earlier.isPresent() ? earlier.get() : create(remote, experimentId, serverRunId, name, params, folder);
    String id = model.path("model_id").asText();
    String artifactUri = model.path("artifact_uri").asText();
    String prefix = name + "/";
    for (String path : folder.artifactPaths()) {
      if (path.startsWith(prefix)) {
        remote.uploadArtifact(artifactUri, path.substring(prefix.length()), folder.artifactFile(path));
      }
    }
    // A point the run already has (same key, step, value and time) is not added to its history again:
    // the server only links it to the model, and a retried link is no twin either.
    for (MetricPoint point : metrics) {
      if (!Double.isFinite(point.value())) {
        continue; // JSON has no NaN; a diverged model's RMSE stays in the run's history only
      }
      ObjectNode metric = JSON.createObjectNode().put("run_id", serverRunId).put("key", point.key())
          .put("value", point.value()).put("timestamp", point.timestamp()).put("step", point.step()).put("model_id", id);
      remote.sendJson("POST", "/api/2.0/mlflow/runs/log-metric", metric, "log-metric " + point.key() + " of model " + name, null);
    }
    ObjectNode ready = JSON.createObjectNode().put("model_id", id).put("status", READY);
    remote.sendJson("PATCH", "/api/2.0/mlflow/logged-models/" + id, ready, "finalize logged model " + name, null);
    return id;
  }

  private static JsonNode create(MlflowRemote remote, String experimentId, String serverRunId, String name,
      Map<String, String> params, LocalRunFolder folder) {
    ObjectNode request = JSON.createObjectNode()
        .put("experiment_id", experimentId)
        .put("name", name)
        .put("source_run_id", serverRunId);
    ArrayNode p = request.putArray("params");
    params.forEach((k, v) -> p.addObject().put("key", k).put("value", v));
    // The run's source tags, as Python's log_model copies them: the Models tab's "Logged from".
    ArrayNode tags = request.putArray("tags");
    folder.readTags().forEach((k, v) -> {
      if (k.startsWith("mlflow.source.") || k.equals("mlflow.user")) {
        tags.addObject().put("key", k).put("value", v);
      }
    });
    JsonNode model = remote.sendJson("POST", "/api/2.0/mlflow/logged-models", request, "create logged model " + name, null)
        .orElseThrow().path("model").path("info");
    ObjectNode output = JSON.createObjectNode().put("run_id", serverRunId);
    output.putArray("models").addObject().put("model_id", model.path("model_id").asText()).put("step", 0);
    remote.sendJson("POST", "/api/2.0/mlflow/runs/outputs", output, "log-outputs " + name, null);
    return model;
  }

  /** The logged model {@code name} of a run ({@code info}: model_id, status, artifact_uri, ...), if any. */
  static Optional<JsonNode> find(MlflowRemote remote, String experimentId, String serverRunId, String name) {
    ObjectNode request = JSON.createObjectNode()
        .put("filter", "source_run_id = '" + serverRunId + "' AND name = '" + name + "'")
        .put("max_results", 50);
    request.putArray("experiment_ids").add(experimentId);
    JsonNode found = remote.sendJson("POST", "/api/2.0/mlflow/logged-models/search", request,
        "search-logged-models " + name, null).orElseThrow();
    for (JsonNode m : found.path("models")) {
      JsonNode info = m.path("info");
      if (name.equals(info.path("name").asText()) && serverRunId.equals(info.path("source_run_id").asText())) {
        return Optional.of(info);
      }
    }
    return Optional.empty();
  }
}
