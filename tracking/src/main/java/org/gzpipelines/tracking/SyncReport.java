package org.gzpipelines.tracking;

import java.util.List;

/**
 * What {@code gz sync} did for one run folder; all counts zero and {@code alreadySynced} for a
 * folder the server already had completely. {@code registered}: the model versions it registered
 * (as {@code models:/<name>/<version>}) that were asked for while the run was offline.
 */
public record SyncReport(
    String localRunId,
    String serverRunId,
    boolean alreadySynced,
    boolean createdOnServer,
    int paramsUploaded,
    int tagsUploaded,
    int metricPointsUploaded,
    int artifactsUploaded,
    boolean endUploaded,
    List<String> registered) {

  public boolean uploadedNothing() {
    return !createdOnServer
        && paramsUploaded == 0
        && tagsUploaded == 0
        && metricPointsUploaded == 0
        && artifactsUploaded == 0
        && !endUploaded
        && registered.isEmpty();
  }

  @Override
  public String toString() {
    if (alreadySynced) {
      return "run " + localRunId + ": already on the server as " + serverRunId + ", nothing to upload";
    }
    return "run " + localRunId + " -> " + serverRunId + (createdOnServer ? " (created)" : "") + ": "
        + paramsUploaded + " params, " + tagsUploaded + " tags, " + metricPointsUploaded
        + " metric points, " + artifactsUploaded + " artifacts" + (endUploaded ? ", end status" : "")
        + " uploaded" + (registered.isEmpty() ? "" : "; registered " + String.join(", ", registered));
  }
}
