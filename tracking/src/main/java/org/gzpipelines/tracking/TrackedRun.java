package org.gzpipelines.tracking;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One tracked run: the only way the rest of the project records parameters, metrics, tags and
 * artifacts. Every call is written to the run's local folder first and forwarded to the MLflow
 * tracking server when one is reachable, so nothing is lost when the server is down.
 *
 * <p>Closing a run that was not ended ends it as {@link RunStatus#FINISHED}.
 *
 * <p>Keys follow MLflow's rules (letters, digits, '_', '-', '.', ' ', ':', '/'); a bad key, a param
 * logged again with another value, or an over-long value is an {@link IllegalArgumentException}
 * at once, also offline, so nothing is collected that the server would refuse at sync time.
 *
 * <p>Param and tag values are stored, locally and on the server, without credentials in URIs and
 * with absolute paths in their shared form ({@link SharedPaths}: {@code data/gz2}, {@code
 * .../gz2}); the paths as given stay in the local folder's {@code meta.json} only.
 * Implementations are thread-safe.
 */
public interface TrackedRun extends AutoCloseable {

  /**
   * The run id: the MLflow run id when the server created the run, else a local id of the same
   * form (the server gives the run a new id when it is synced; queries by either id work). Also
   * the name of the local run folder.
   */
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

  /**
   * Logs a metric value at a step with the time it was measured (epoch milliseconds): for points
   * copied from an earlier record, which keep their original time.
   */
  void logMetric(String key, double value, long step, long timestamp);

  void setTag(String key, String value);

  /**
   * Uploads a file, or a folder recursively, under {@code artifactDir} of the run's artifacts
   * ({@code ""} for the root). A file over the size limit (GZ_MAX_ARTIFACT_MB, default 1 GiB) is
   * refused with a {@link TrackingException} naming it.
   */
  void logArtifact(Path fileOrDir, String artifactDir);

  /**
   * Logs a model folder as an MLflow model named after the folder (e.g. {@code best-model}): as the
   * run's artifact folder {@code <name>/} (so {@code runs:/<run id>/<name>} finds it), and as an
   * MLflow 3 logged model of this run holding the same files, finalized READY, with {@code params}
   * shown beside it and {@code metrics} linked to it (points this run has logged, such as the
   * validation RMSE where the model was saved), so MLflow's Models tab sorts models by them.
   * Offline, {@code gz sync} creates the logged model later. A name is logged once.
   */
  void logModel(Path modelDir, Map<String, String> params, List<MetricPoint> metrics);

  /**
   * Names a folder this run is about to create and fill (its evaluation, its merger report, a
   * work folder). Should the run end KILLED (Ctrl-C, SIGTERM), it is removed then; should the
   * run's process die before the run ends, the next gz command removes it when it marks the run
   * KILLED: a killed run's output is never finished, and a half-written one looks complete ({@code
   * rmse.json} without its figures). A FAILED run's output stays (its dead letters say why). A
   * folder that exists already is not recorded, so nothing the run did not create is ever removed.
   */
  void createsOutput(Path folder);

  /** Starts a nested run (a sweep point, a pipeline stage) in the same experiment. */
  TrackedRun startChild(String runName);

  /** Ends the run with a status; later calls are errors. */
  void end(RunStatus status);

  /** Whether {@link #end} was called. */
  boolean isEnded();

  /**
   * Whether the tracking server failed during the run (or did not answer when it started), so the
   * run went on in its local folder only and the server lacks part of it until {@code gz sync}
   * uploads it.
   */
  boolean lostServer();

  @Override
  void close();
}
