package org.gzpipelines.tracking;

/** How a run ended, as MLflow records it. */
public enum RunStatus {
  FINISHED,
  FAILED,
  KILLED
}
