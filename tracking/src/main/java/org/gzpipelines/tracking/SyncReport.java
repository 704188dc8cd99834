package org.gzpipelines.tracking;

/**
 * What {@code gz sync} did for one run folder; all counts zero and {@code alreadySynced} for a
 * folder the server already had completely.
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
    boolean endUploaded) {

  public boolean uploadedNothing() {
    return !createdOnServer
        && paramsUploaded == 0
        && tagsUploaded == 0
        && metricPointsUploaded == 0
        && artifactsUploaded == 0
        && !endUploaded;
  }

  @Override
  public String toString() {
    if (alreadySynced) {
      return "run " + localRunId + ": already on the server as " + serverRunId + ", nothing to upload";
    }
    return "run " + localRunId + " -> " + serverRunId + (createdOnServer ? " (created)" : "") + ": "
        + paramsUploaded + " params, " + tagsUploaded + " tags, " + metricPointsUploaded
        + " metric points, " + artifactsUploaded + " artifacts" + (endUploaded ? ", end status" : "")
        + " uploaded";
  }
}
