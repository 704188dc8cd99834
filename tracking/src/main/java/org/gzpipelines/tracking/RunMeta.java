package org.gzpipelines.tracking;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code meta.json} of a local run folder: who the run is and how far it reached the server. */
@JsonIgnoreProperties(ignoreUnknown = true)
final class RunMeta {
  /** The id the run was started with; the folder's name. Equals serverRunId for online runs. */
  public String runId;
  /** The run's id on the tracking server; null until the run exists there. */
  public String serverRunId;
  /** The server the run was created on (or synced to), without credentials. */
  public String trackingUri;
  public String experimentName;
  public String runName;
  /** Local run id of the parent run (a sibling folder), or null. */
  public String parentRunId;
  public long startTime;
  /** 0 while running. */
  public long endTime;
  /** RUNNING, or a {@link RunStatus} name once ended. */
  public String status = "RUNNING";
  /**
   * The process running the run while it is RUNNING: lets a later command tell that the run was
   * abandoned ({@link AbandonedRuns}). Null in folders written before it was recorded.
   */
  public ProcessOwner owner;
  /** True once everything in the folder is on the server (nothing left for {@code gz sync}). */
  public boolean synced;
  /**
   * Params and tags as logged where the stored value is their shared form ({@link SharedValues}),
   * e.g. {@code "params.train.data" -> "/home/me/gz/data/gz2"}: the real paths, kept on this
   * machine only (meta.json is never uploaded).
   */
  public Map<String, String> localValues = new TreeMap<>();
  /**
   * The run's MLflow models ({@link TrackedRun#logModel}): name (also their artifact folder) to the
   * params shown beside the logged model.
   */
  public Map<String, Map<String, String>> loggedModels = new TreeMap<>();
  /** The metrics linked to each logged model (absent in run folders written before 2026-12-07). */
  public Map<String, List<MetricPoint>> loggedModelMetrics = new TreeMap<>();
  /**
   * Registrations asked for while the server lacked the run ({@link Tracking#registerModel}), for
   * {@code gz sync} to make: registered model name to the logged model's name.
   */
  public Map<String, String> registerAs = new TreeMap<>();
}
