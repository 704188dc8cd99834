package org.gzpipelines.tracking;

import java.nio.file.Path;
import java.util.Map;

/**
 * One tracked run: the only way the rest of the project records parameters, metrics, tags and
 * artifacts. Every call is written to the run's local folder first and forwarded to the MLflow
 * tracking server when one is reachable, so nothing is lost when the server is down.
 *
 * <p>Closing a run that was not ended ends it as {@link RunStatus#FINISHED}.
 */
public interface TrackedRun extends AutoCloseable {

  /** The MLflow run id (also the name of the local run folder). */
  String runId();

  /** The experiment this run belongs to. */
  String experimentName();

  /** The local run folder: params, metrics CSV, tags and artifacts, usable by {@code gz sync}. */
  Path localDir();

  void logParam(String key, String value);

  /** Logs many parameters at once, e.g. a whole flattened config. */
  void logParams(Map<String, String> params);

  /** Logs a metric value at a step (e.g. images seen), timestamped now. */
  void logMetric(String key, double value, long step);

  void setTag(String key, String value);

  /**
   * Uploads a file, or a folder recursively, under {@code artifactDir} of the run's artifacts
   * ({@code ""} for the root).
   */
  void logArtifact(Path fileOrDir, String artifactDir);

  /** Starts a nested run (a sweep point, a pipeline stage) in the same experiment. */
  TrackedRun startChild(String runName);

  /** Ends the run with a status; later calls are errors. */
  void end(RunStatus status);

  @Override
  void close();
}
