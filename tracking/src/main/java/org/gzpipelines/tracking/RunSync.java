package org.gzpipelines.tracking;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mlflow.api.proto.Service;

/**
 * Uploads a local run folder to the tracking server, exactly once: it creates the run if the
 * server does not have it (with the original start time), then sends only what the server lacks --
 * params and tags it does not hold, metric points missing from its metric histories (original
 * steps and timestamps), artifacts not yet confirmed, logged models (MLflow 3) not yet on the
 * server and their registrations asked for offline, and the end status and time. Every confirmed upload is recorded in the folder ({@code
 * sync.json}, {@code meta.json}), so a sync interrupted half way resumes, and a sync of a complete
 * folder uploads nothing.
 */
final class RunSync {
  /** Tag linking a server run to the local folder it came from; makes run creation idempotent. */
  static final String LOCAL_RUN_ID_TAG = "gz.local_run_id";

  private final MlflowRemote remote;
  private final Map<String, String> serverIds = new HashMap<>();
  /** Every run this sync uploaded or checked, in order: a parent synced for its child is reported too. */
  private final List<SyncReport> reports = new ArrayList<>();

  RunSync(MlflowRemote remote) {
    this.remote = remote;
  }

  /** Syncs the run folder {@code dir}; the reports of it and of the parent folders synced first for it, parents first. */
  List<SyncReport> sync(Path dir) {
    int from = reports.size();
    sync(LocalRunFolder.open(dir), new LinkedHashSet<>());
    return List.copyOf(reports.subList(from, reports.size()));
  }

  private SyncReport sync(LocalRunFolder folder, Set<Path> inProgress) {
    if (!inProgress.add(folder.dir())) {
      throw new TrackingException("run folder " + folder.dir() + " is its own ancestor (parentRunId loop)");
    }
    AbandonedRuns.closeIfAbandoned(folder); // a run whose process is gone is uploaded as KILLED
    RunMeta meta = folder.readMeta();
    SyncState state = folder.readSync();
    if (meta.synced && meta.serverRunId != null) {
      // Asked, not assumed: the folder may have been synced to another server than this one.
      existingRun(folder, meta);
      inProgress.remove(folder.dir());
      return report(new SyncReport(meta.runId, meta.serverRunId, true, false, 0, 0, 0, 0, false, List.of()));
    }
    boolean created = false;
    Service.Run serverRun;
    if (meta.serverRunId == null) {
      serverRun = createRun(folder, meta, inProgress);
      created = true;
      meta.serverRunId = serverRun.getInfo().getRunId();
      meta.trackingUri = remote.uri();
      folder.writeMeta(meta); // record the id at once: a crash from here on cannot create a twin
    } else {
      serverRun = existingRun(folder, meta);
    }
    String runId = meta.serverRunId;

    Map<String, String> serverParams = new HashMap<>();
    serverRun.getData().getParamsList().forEach(p -> serverParams.put(p.getKey(), p.getValue()));
    Map<String, String> params = new LinkedHashMap<>();
    for (Map.Entry<String, String> p : folder.readParams().entrySet()) {
      String onServer = serverParams.get(p.getKey());
      if (onServer == null) {
        params.put(p.getKey(), p.getValue());
      } else if (!onServer.equals(p.getValue())) {
        throw new TrackingException(
            "param '" + p.getKey() + "' of run folder " + folder.dir() + " is '" + p.getValue()
                + "' but the server's run " + runId + " has '" + onServer + "'; MLflow params cannot"
                + " change, so this folder cannot be synced into that run");
      }
    }
    Map<String, String> serverTags = new HashMap<>();
    serverRun.getData().getTagsList().forEach(t -> serverTags.put(t.getKey(), t.getValue()));
    Map<String, String> tags = new LinkedHashMap<>();
    folder.readTags().forEach((k, v) -> {
      if (!v.equals(serverTags.get(k))) {
        tags.put(k, v);
      }
    });
    remote.logBatch(runId, List.of(), params, tags);
    state.paramsConfirmed.putAll(params);
    state.tagsConfirmed.putAll(tags);
    folder.writeSync(state);

    int pointsUploaded = 0;
    List<MetricPoint> points = folder.readMetrics();
    if (state.metricsConfirmed < points.size()) {
      List<MetricPoint> missing = missingPoints(runId, points, (int) state.metricsConfirmed);
      remote.logBatch(runId, missing, Map.of(), Map.of());
      pointsUploaded = missing.size();
      state.metricsConfirmed = points.size();
      folder.writeSync(state);
    }

    int artifactsUploaded = 0;
    for (String path : folder.artifactPaths()) {
      if (!state.artifactsConfirmed.contains(path)) {
        remote.uploadArtifact(serverRun.getInfo().getArtifactUri(), path, folder.artifactFile(path));
        state.artifactsConfirmed.add(path);
        folder.writeSync(state);
        artifactsUploaded++;
      }
    }

    String experimentId = null;
    for (Map.Entry<String, Map<String, String>> model : meta.loggedModels.entrySet()) {
      if (!state.modelsConfirmed.containsKey(model.getKey())) {
        experimentId = experimentId != null ? experimentId : serverRun.getInfo().getExperimentId();
        state.modelsConfirmed.put(model.getKey(),
            LoggedModels.upload(remote, experimentId, runId, model.getKey(), model.getValue(),
                meta.loggedModelMetrics.getOrDefault(model.getKey(), List.of()), folder));
        folder.writeSync(state);
      }
    }
    List<String> registered = new ArrayList<>();
    for (Map.Entry<String, String> registration : meta.registerAs.entrySet()) {
      if (!state.registrationsConfirmed.contains(registration.getKey())) {
        registered.add(ModelRegistry.register(remote, runId, registration.getValue(), registration.getKey()).uri());
        state.registrationsConfirmed.add(registration.getKey());
        folder.writeSync(state);
      }
    }

    boolean ended = !"RUNNING".equals(meta.status);
    boolean endUploaded = false;
    if (ended && !state.endConfirmed) {
      remote.setTerminated(runId, RunStatus.valueOf(meta.status), meta.endTime);
      state.endConfirmed = true;
      folder.writeSync(state);
      endUploaded = true;
    }
    // A folder still RUNNING (a live run, or one of another host whose process may have died) is
    // synced as far as it goes, and synced again later.
    meta.synced = ended;
    folder.writeMeta(meta);
    inProgress.remove(folder.dir());
    serverIds.put(meta.runId, runId);
    return report(new SyncReport(meta.runId, runId, false, created, params.size(), tags.size(), pointsUploaded,
        artifactsUploaded, endUploaded, registered));
  }

  private SyncReport report(SyncReport report) {
    reports.add(report);
    return report;
  }

  /**
   * The points of the metrics that have unconfirmed points, minus those the server's histories
   * already hold (matched as a multiset on step, timestamp and value): a batch whose answer was
   * lost when the server went away may or may not have arrived, and must not arrive twice.
   */
  private List<MetricPoint> missingPoints(String runId, List<MetricPoint> points, int confirmed) {
    Set<String> keys = new LinkedHashSet<>();
    for (MetricPoint p : points.subList(confirmed, points.size())) {
      keys.add(p.key());
    }
    Map<String, Map<MetricPoint, Integer>> onServer = new HashMap<>();
    for (String key : keys) {
      Map<MetricPoint, Integer> counts = new HashMap<>();
      for (MetricPoint p : remote.metricHistory(runId, key)) {
        counts.merge(p, 1, Integer::sum); // record equality: Double.compare, so NaN matches NaN
      }
      onServer.put(key, counts);
    }
    List<MetricPoint> missing = new ArrayList<>();
    for (MetricPoint p : points) {
      Map<MetricPoint, Integer> counts = onServer.get(p.key());
      if (counts == null) {
        continue; // all of this metric's points were confirmed
      }
      Integer c = counts.get(p);
      if (c == null) {
        missing.add(p);
      } else if (c == 1) {
        counts.remove(p);
      } else {
        counts.put(p, c - 1);
      }
    }
    return missing;
  }

  private Service.Run createRun(LocalRunFolder folder, RunMeta meta, Set<Path> inProgress) {
    String experimentId = remote.experimentId(meta.experimentName);
    // Created by an earlier sync that died before recording the id?
    List<Service.Run> earlier =
        remote.searchRuns(experimentId, "tags.`" + LOCAL_RUN_ID_TAG + "` = '" + meta.runId + "'");
    if (!earlier.isEmpty()) {
      return earlier.get(0);
    }
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(LOCAL_RUN_ID_TAG, meta.runId);
    if (meta.parentRunId != null) {
      tags.put("mlflow.parentRunId", parentServerId(folder, meta, inProgress));
    }
    Service.RunInfo info = remote.createRun(experimentId, meta.runName, meta.startTime, tags);
    return remote.getRun(info.getRunId());
  }

  /** The parent's server id: a sibling folder is synced first; otherwise the id is the server's. */
  private String parentServerId(LocalRunFolder folder, RunMeta meta, Set<Path> inProgress) {
    String known = serverIds.get(meta.parentRunId);
    if (known != null) {
      return known;
    }
    Path parentDir = folder.dir().resolveSibling(meta.parentRunId);
    if (LocalRunFolder.isRunFolder(parentDir)) {
      return sync(LocalRunFolder.open(parentDir), inProgress).serverRunId(); // reported before the child
    }
    try {
      return remote.getRun(meta.parentRunId).getInfo().getRunId();
    } catch (TrackingException e) {
      throw new TrackingException(
          "the parent run " + meta.parentRunId + " of run folder " + folder.dir() + " is neither a"
              + " folder next to it nor a run on " + remote.uri() + "; copy the parent's folder next"
              + " to it and sync again",
          e);
    }
  }

  private Service.Run existingRun(LocalRunFolder folder, RunMeta meta) {
    try {
      return remote.getRun(meta.serverRunId);
    } catch (TrackingException e) {
      if (e.isUnreachable()) {
        throw e;
      }
      throw new TrackingException(
          "run folder " + folder.dir() + " belongs to run " + meta.serverRunId + " on "
              + Uris.withoutUserInfo(meta.trackingUri) // folders written before credentials were stripped
              + ", which " + remote.uri() + " does not have (" + e.getMessage() + "); sync it to the"
              + " server it came from",
          e);
    }
  }
}
