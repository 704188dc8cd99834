package org.gzpipelines.tracking;

/**
 * A version of a model in the MLflow Model Registry.
 *
 * @param runId the training run it came from (the server's id)
 * @param modelId the MLflow 3 logged model it is
 * @param created whether this registration made the version (false: the model had it already)
 */
public record ModelVersion(String name, String version, String runId, String modelId, boolean created) {

  /** {@code models:/<name>/<version>}, as MLflow's clients and {@code gz evaluate --model} take it. */
  public String uri() {
    return "models:/" + name + "/" + version;
  }
}
