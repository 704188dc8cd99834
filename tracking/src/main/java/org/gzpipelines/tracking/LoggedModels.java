package org.gzpipelines.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * MLflow 3's logged models over REST (the Java client 2.17 predates them), in the sequence MLflow's
 * own Python {@code log_model} follows: create the logged model with the run as its source, record
 * it as the run's output (the run page's "Logged models"), upload the files to the model's own
 * artifact root, link its metrics, finalize it READY.
 */
final class LoggedModels {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String READY = "LOGGED_MODEL_READY";
  /** On each logged model: the digest of its files, so a retry finds the model it sent and no other. */
  static final String DIGEST_TAG = "gz.model.sha256";

  private LoggedModels() {}

  /**
   * Puts the model {@code name} of a run folder (its artifact folder {@code <name>/}) on the server
   * as a logged model of the run, finishing one that an interrupted attempt left PENDING instead of
   * making a twin; returns the model's id.
   */
  static String upload(MlflowRemote remote, String experimentId, String serverRunId, String name,
      Map<String, String> params, List<MetricPoint> metrics, LocalRunFolder folder) {
    String prefix = name + "/";
    String digest = digest(folder, prefix);
    // The same files sent before (an interrupted attempt, a retried sync) finish or keep that model;
    // files logged anew under the name (a resumed training's) make a new one, never update a READY one.
    Optional<JsonNode> earlier = find(remote, experimentId, serverRunId, name, m -> digest.equals(tag(m, DIGEST_TAG)));
    if (earlier.isPresent() && READY.equals(earlier.get().path("status").asText())) {
      return earlier.get().path("model_id").asText();
    }
    // The run's step where the model was saved (images seen, for a training's models), as Python's
    // log_model(step=...) records it: the step of its metrics.
    long step = metrics.stream().mapToLong(MetricPoint::step).max().orElse(0);
    JsonNode model = earlier.isPresent() ? earlier.get()
        : create(remote, experimentId, serverRunId, name, params, folder, digest, step);
    String id = model.path("model_id").asText();
    String artifactUri = model.path("artifact_uri").asText();
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
      Map<String, String> params, LocalRunFolder folder, String digest, long step) {
    ObjectNode request = JSON.createObjectNode()
        .put("experiment_id", experimentId)
        .put("name", name)
        .put("source_run_id", serverRunId);
    ArrayNode p = request.putArray("params");
    params.forEach((k, v) -> p.addObject().put("key", k).put("value", v));
    // The run's source tags, as Python's log_model copies them: the Models tab's "Logged from".
    ArrayNode tags = request.putArray("tags");
    tags.addObject().put("key", DIGEST_TAG).put("value", digest);
    folder.readTags().forEach((k, v) -> {
      if (k.startsWith("mlflow.source.") || k.equals("mlflow.user")) {
        tags.addObject().put("key", k).put("value", v);
      }
    });
    JsonNode model = remote.sendJson("POST", "/api/2.0/mlflow/logged-models", request, "create logged model " + name, null)
        .orElseThrow().path("model").path("info");
    ObjectNode output = JSON.createObjectNode().put("run_id", serverRunId);
    output.putArray("models").addObject().put("model_id", model.path("model_id").asText()).put("step", step);
    remote.sendJson("POST", "/api/2.0/mlflow/runs/outputs", output, "log-outputs " + name, null);
    return model;
  }

  /**
   * The newest logged model {@code name} of a run that {@code accepted} takes ({@code info}:
   * model_id, status, artifact_uri, tags, ...), if any.
   */
  static Optional<JsonNode> find(MlflowRemote remote, String experimentId, String serverRunId, String name,
      Predicate<JsonNode> accepted) {
    ObjectNode request = JSON.createObjectNode()
        .put("filter", "source_run_id = '" + serverRunId + "' AND name = '" + name + "'")
        .put("max_results", 50);
    request.putArray("experiment_ids").add(experimentId);
    JsonNode found = remote.sendJson("POST", "/api/2.0/mlflow/logged-models/search", request,
        "search-logged-models " + name, null).orElseThrow();
    JsonNode newest = null;
    for (JsonNode m : found.path("models")) {
      JsonNode info = m.path("info");
      if (name.equals(info.path("name").asText()) && serverRunId.equals(info.path("source_run_id").asText())
          && accepted.test(info) && (newest == null
              || info.path("creation_timestamp_ms").asLong() >= newest.path("creation_timestamp_ms").asLong())) {
        newest = info;
      }
    }
    return Optional.ofNullable(newest);
  }

  /** A tag's value on a logged model's info, or null. */
  private static String tag(JsonNode info, String key) {
    for (JsonNode t : info.path("tags")) {
      if (key.equals(t.path("key").asText())) {
        return t.path("value").asText();
      }
    }
    return null;
  }

  /** The files of the run folder's artifacts under {@code prefix}: their paths and contents. */
  private static String digest(LocalRunFolder folder, String prefix) {
    StringBuilder files = new StringBuilder();
    folder.artifactPaths().stream().filter(p -> p.startsWith(prefix)).sorted()
        .forEach(p -> files.append(p).append(' ').append(Provenance.sha256(folder.artifactFile(p))).append('\n'));
    return Provenance.sha256(files.toString());
  }
}
