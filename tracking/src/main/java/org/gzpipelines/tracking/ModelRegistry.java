package org.gzpipelines.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The MLflow Model Registry over REST (the Java client 2.17 cannot pass a logged model's id):
 * registers a run's logged model as a new version, linked to the run and the logged model, as
 * MLflow's Python {@code register_model("models:/<model id>", name)} does.
 */
final class ModelRegistry {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelRegistry() {}

  /** Every version registered under {@code registeredName} (none when the name is not registered). */
  static List<ModelVersion> versions(MlflowRemote remote, String registeredName) {
    String filter = URLEncoder.encode("name = '" + registeredName + "'", StandardCharsets.UTF_8);
    List<ModelVersion> versions = new ArrayList<>();
    for (JsonNode v : remote.getJson("/api/2.0/mlflow/model-versions/search?max_results=1000&filter=" + filter,
        "search-model-versions of " + registeredName).path("model_versions")) {
      versions.add(new ModelVersion(registeredName, v.path("version").asText(), v.path("run_id").asText(),
          v.path("model_id").asText(), false));
    }
    return versions;
  }

  /**
   * Registers the logged model {@code modelName} of a run under {@code registeredName} (created if
   * missing). The same logged model registered again keeps its version, so re-running a study whose
   * training was skipped makes no new version.
   */
  static ModelVersion register(MlflowRemote remote, String serverRunId, String modelName, String registeredName) {
    String experimentId = remote.getRun(serverRunId).getInfo().getExperimentId();
    // The newest: a resumed training logs its model again, as a new logged model.
    JsonNode model = LoggedModels.find(remote, experimentId, serverRunId, modelName,
            m -> LoggedModels.READY.equals(m.path("status").asText()))
        .orElseThrow(() -> new TrackingException(
            "run " + serverRunId + " has no finished logged model '" + modelName + "' on " + remote.uri()
                + "; a run tracked offline needs `gz sync` first"));
    String modelId = model.path("model_id").asText();
    String source = "models:/" + modelId;
    remote.sendJson("POST", "/api/2.0/mlflow/registered-models/create",
        JSON.createObjectNode().put("name", registeredName), "create registered model " + registeredName,
        "RESOURCE_ALREADY_EXISTS");
    // By run id only: a filter string cannot quote every model name.
    String filter = URLEncoder.encode("run_id = '" + serverRunId + "'", StandardCharsets.UTF_8);
    for (JsonNode v : remote.getJson("/api/2.0/mlflow/model-versions/search?max_results=1000&filter=" + filter,
        "search-model-versions of run " + serverRunId).path("model_versions")) {
      if (registeredName.equals(v.path("name").asText()) && source.equals(v.path("source").asText())) {
        return new ModelVersion(registeredName, v.path("version").asText(), serverRunId, modelId, false);
      }
    }
    ObjectNode request = JSON.createObjectNode()
        .put("name", registeredName)
        .put("source", source)
        .put("run_id", serverRunId)
        .put("model_id", modelId)
        .put("description", "the " + modelName + " of run " + serverRunId);
    JsonNode created = remote.sendJson("POST", "/api/2.0/mlflow/model-versions/create", request,
        "create model version of " + registeredName, null).orElseThrow();
    return new ModelVersion(registeredName, created.path("model_version").path("version").asText(), serverRunId, modelId,
        true);
  }
}
