package org.gzpipelines.tracking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run that writes everything to its local folder first and forwards it to the tracking server
 * while the server works. Metric points are buffered and sent as log-batch requests (when a full
 * batch is waiting, and every second) from the tracking's flusher thread, so the caller never waits
 * on the network for a metric. The first server failure switches the run to local-only (one
 * warning); {@code gz sync} later uploads what the server lacks.
 */
final class LocalFirstRun implements TrackedRun {
  private static final Logger LOG = LoggerFactory.getLogger(LocalFirstRun.class);

  private final Tracking tracking;
  private final LocalRunFolder folder;
  private final RunMeta meta;
  private final SyncState sync;
  private final Map<String, String> params = new LinkedHashMap<>();
  private final Map<String, String> tags = new LinkedHashMap<>();
  /** Points in the local file the server has not seen yet (only while the server is used). */
  private final ArrayDeque<MetricPoint> unsent = new ArrayDeque<>();
  /** Serialises server requests, so metric batches arrive in file order. */
  private final ReentrantLock sendLock = new ReentrantLock();
  private final AtomicBoolean flushQueued = new AtomicBoolean();
  private final ScheduledFuture<?> ticker;
  /** The server while it works for this run; null when offline or after a failure. */
  private volatile MlflowRemote remote;
  private volatile boolean lostServer;
  private final String artifactUri;
  private boolean ended;

  /** A new run; {@code remote}'s create-run request carried {@code initialTags}. */
  LocalFirstRun(
      Tracking tracking,
      LocalRunFolder folder,
      RunMeta meta,
      Map<String, String> initialTags,
      MlflowRemote remote,
      String artifactUri) {
    this(tracking, folder, meta, Map.of(), initialTags, new SyncState(), remote, artifactUri);
    if (remote != null) {
      sync.tagsConfirmed.putAll(initialTags);
      folder.writeSync(sync);
    }
  }

  /**
   * A run continued in its folder ({@link Tracking#reopen}): the params and tags it has, and what
   * the server confirmed of them, so that logging the same values again sends nothing.
   */
  LocalFirstRun(
      Tracking tracking,
      LocalRunFolder folder,
      RunMeta meta,
      Map<String, String> params,
      Map<String, String> tags,
      SyncState sync,
      MlflowRemote remote,
      String artifactUri) {
    this.tracking = tracking;
    this.folder = folder;
    this.meta = meta;
    this.remote = remote;
    this.artifactUri = artifactUri;
    this.sync = sync;
    this.params.putAll(params);
    this.tags.putAll(tags);
    folder.writeTags(this.tags);
    this.ticker =
        tracking.flusher().scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
  }

  @Override
  public String runId() {
    return meta.runId;
  }

  @Override
  public String experimentName() {
    return meta.experimentName;
  }

  @Override
  public Path localDir() {
    return folder.dir();
  }

  /** The run's id on the server, or null when the server does not have it. */
  String serverRunId() {
    return remote == null ? null : meta.serverRunId;
  }

  @Override
  public void logParam(String key, String value) {
    logParams(Map.of(key, value));
  }

  @Override
  public void logParams(Map<String, String> newParams) {
    Map<String, String> added = new LinkedHashMap<>();
    synchronized (this) {
      checkOpen();
      Map<String, String> originals = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : SharedValues.of(newParams, "params.", originals).entrySet()) {
        String key = Names.key("param", e.getKey());
        String value = Names.paramValue(key, e.getValue());
        String old = params.get(key);
        if (old != null && !old.equals(value)) {
          throw new IllegalArgumentException(
              "param '" + key + "' was already logged as '" + old + "' in run " + meta.runId
                  + "; MLflow params cannot change: log a changing value as a metric or tag");
        }
        if (old == null) {
          added.put(key, value);
        }
      }
      params.putAll(added);
      folder.writeParams(params);
      keepLocally(originals);
    }
    if (!added.isEmpty()) {
      toServer(r -> r.logBatch(meta.serverRunId, List.of(), added, Map.of()), () -> sync.paramsConfirmed.putAll(added));
    }
  }

  @Override
  public void logMetric(String key, double value, long step) {
    logMetric(key, value, step, System.currentTimeMillis());
  }

  @Override
  public void logMetric(String key, double value, long step, long timestamp) {
    MetricPoint point = new MetricPoint(Names.key("metric", key), value, step, timestamp);
    int waiting;
    synchronized (this) {
      checkOpen();
      folder.appendMetric(point);
      if (remote == null) {
        return;
      }
      unsent.add(point);
      waiting = unsent.size();
    }
    if (waiting >= tracking.maxUnsentPoints()) {
      flushMetrics(); // the server is slower than the caller: make the caller wait (bounded memory)
    } else if (waiting >= MlflowRemote.MAX_METRICS_PER_BATCH && flushQueued.compareAndSet(false, true)) {
      tracking.flusher().execute(this::flushMetrics);
    }
  }

  @Override
  public void setTag(String key, String given) {
    Names.key("tag", key);
    Map<String, String> originals = new LinkedHashMap<>();
    String value = Names.tagValue(key, SharedValues.of(Collections.singletonMap(key, given), "tags.", originals).get(key));
    synchronized (this) {
      checkOpen();
      tags.put(key, value);
      folder.writeTags(tags);
      keepLocally(originals);
    }
    toServer(r -> r.logBatch(meta.serverRunId, List.of(), Map.of(), Map.of(key, value)), () -> sync.tagsConfirmed.put(key, value));
  }

  /** Records values as logged, where their stored form differs, in meta.json (never uploaded). */
  private void keepLocally(Map<String, String> originals) {
    if (!originals.isEmpty()) {
      meta.localValues.putAll(originals);
      folder.writeMeta(meta);
    }
  }

  @Override
  public void createsOutput(Path output) {
    if (Files.exists(output)) {
      return;
    }
    synchronized (this) {
      checkOpen();
      meta.localValues.put(AbandonedRuns.UNFINISHED_OUTPUT, output.toAbsolutePath().normalize().toString());
      folder.writeMeta(meta);
    }
  }

  @Override
  public void logArtifact(Path fileOrDir, String artifactDir) {
    String dir = Names.artifactDir(artifactDir);
    if (!Files.exists(fileOrDir)) {
      throw new IllegalArgumentException("artifact " + fileOrDir + " does not exist");
    }
    checkSize(fileOrDir);
    List<String> copied;
    synchronized (this) {
      checkOpen();
      copied = folder.copyArtifact(fileOrDir, dir);
      // A file logged again (a resumed training's models, its history) is the server's only once
      // uploaded anew: should the server be gone now, gz sync must send it, not trust the old copy.
      if (sync.artifactsConfirmed.removeAll(copied)) {
        folder.writeSync(sync);
      }
    }
    for (String path : copied) {
      toServer(r -> r.uploadArtifact(artifactUri, path, folder.artifactFile(path)), () -> sync.artifactsConfirmed.add(path));
    }
  }

  @Override
  public void logModel(Path modelDir, Map<String, String> params, List<MetricPoint> metrics) {
    String name = modelDir.getFileName().toString();
    if (!Files.isDirectory(modelDir) || !name.matches("[\\w.-]+")) {
      throw new IllegalArgumentException("model " + modelDir + " is not a folder named with letters, digits, '_', '.', '-'");
    }
    Map<String, String> shown = new LinkedHashMap<>();
    params.forEach((k, v) -> shown.put(Names.key("param", k), Names.paramValue(k, v)));
    synchronized (this) {
      checkOpen();
    }
    // Logged again under the same name (a resumed training finishing the model it logged when it
    // stopped): the run's artifact folder is overwritten and the server gets a newer logged model.
    logArtifact(modelDir, "");
    synchronized (this) {
      meta.loggedModels.put(name, shown);
      meta.loggedModelMetrics.put(name, List.copyOf(metrics));
      folder.writeMeta(meta);
      if (sync.modelsConfirmed.remove(name) != null) {
        folder.writeSync(sync); // the server's model of that name holds the older files
      }
    }
    String[] id = new String[1];
    toServer(r -> id[0] = LoggedModels.upload(r, r.experimentId(meta.experimentName), meta.serverRunId, name, shown,
        metrics, folder),
        () -> sync.modelsConfirmed.put(name, id[0]));
  }

  private void checkSize(Path fileOrDir) {
    long limit = tracking.maxArtifactBytes();
    try (Stream<Path> files = Files.walk(fileOrDir)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        long size = Files.size(f);
        if (size > limit) {
          throw new TrackingException(
              "artifact " + f + " is " + (size >> 20) + " MiB, over the " + (limit >> 20) + " MiB limit"
                  + " for one artifact file; shrink or split it (e.g. compress it, log a sample), or"
                  + " raise the limit with " + Tracking.MAX_ARTIFACT_MB_ENV + "=<MiB>");
        }
      }
    } catch (IOException e) {
      throw new TrackingException("cannot read artifact " + fileOrDir + ": " + e, e);
    }
  }

  @Override
  public TrackedRun startChild(String runName) {
    synchronized (this) {
      checkOpen();
    }
    return tracking.startRun(meta.experimentName, runName, this);
  }

  @Override
  public void end(RunStatus status) {
    synchronized (this) {
      checkOpen();
      ended = true;
    }
    ticker.cancel(false);
    flushMetrics();
    folder.closeMetrics();
    String unfinished;
    synchronized (this) {
      meta.endTime = System.currentTimeMillis();
      meta.status = status.name();
      // An ended run's output is what it left (a failed one's dead letters say why it failed), but
      // one stopped by Ctrl-C or SIGTERM is as unfinished as a killed process's.
      unfinished = meta.localValues.remove(AbandonedRuns.UNFINISHED_OUTPUT);
      folder.writeMeta(meta);
    }
    if (status == RunStatus.KILLED && unfinished != null) {
      AbandonedRuns.removeUnfinishedOutput(unfinished, meta.runId);
    }
    toServer(r -> r.setTerminated(meta.serverRunId, status, meta.endTime), () -> sync.endConfirmed = true);
    synchronized (this) {
      meta.synced = remote != null;
      folder.writeMeta(meta);
      folder.writeSync(sync);
    }
    tracking.ended(this);
  }

  @Override
  public boolean lostServer() {
    return lostServer;
  }

  /** The configured server did not take the run when it started: it is local-only from the start. */
  void serverUnreachable() {
    lostServer = true;
  }

  @Override
  public synchronized boolean isEnded() {
    return ended;
  }

  @Override
  public void close() {
    boolean open;
    synchronized (this) {
      open = !ended;
    }
    if (open) {
      end(RunStatus.FINISHED);
    }
  }

  private void checkOpen() {
    if (ended) {
      throw new IllegalStateException("run " + meta.runId + " (" + meta.runName + ") has already ended");
    }
  }

  /** Makes the points logged so far durable in the local file (no server request). */
  void flushLocal() {
    folder.flushMetrics();
  }

  /** Every second: make the local file durable and send what is waiting. */
  private void tick() {
    try {
      folder.flushMetrics();
      flushMetrics();
    } catch (RuntimeException e) {
      LOG.warn("run {}: periodic flush failed: {}", meta.runId, e.toString());
    }
  }

  /** Makes the local file durable, then sends waiting points in batches, in order. */
  void flushMetrics() {
    flushQueued.set(false);
    sendLock.lock();
    try {
      boolean sent = false;
      while (true) {
        List<MetricPoint> batch;
        MlflowRemote r;
        synchronized (this) {
          r = remote;
          if (r == null || unsent.isEmpty()) {
            break;
          }
          // The server may only count points the local file already holds.
          folder.flushMetrics();
          int n = Math.min(unsent.size(), MlflowRemote.MAX_METRICS_PER_BATCH);
          batch = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            batch.add(unsent.poll());
          }
        }
        try {
          r.logBatch(meta.serverRunId, batch, Map.of(), Map.of());
          synchronized (this) {
            sync.metricsConfirmed += batch.size();
          }
          sent = true;
        } catch (RuntimeException e) {
          goOffline(e);
        }
      }
      if (sent) {
        synchronized (this) {
          folder.writeSync(sync);
        }
      }
    } finally {
      sendLock.unlock();
    }
  }

  private interface ServerCall {
    void run(MlflowRemote remote);
  }

  /** Sends one request if the server is in use, and records the confirmation. */
  private void toServer(ServerCall call, Runnable onConfirmed) {
    sendLock.lock();
    try {
      MlflowRemote r = remote;
      if (r == null) {
        return;
      }
      try {
        call.run(r);
      } catch (RuntimeException e) {
        goOffline(e);
        return;
      }
      synchronized (this) {
        onConfirmed.run();
        folder.writeSync(sync);
      }
    } finally {
      sendLock.unlock();
    }
  }

  private void goOffline(RuntimeException e) {
    String server;
    synchronized (this) {
      if (remote == null) {
        return;
      }
      server = remote.uri();
      remote = null;
      lostServer = true;
      unsent.clear(); // they are in metrics.csv; gz sync sends them
      meta.synced = false;
      folder.writeMeta(meta);
    }
    // A user's notice, not a log line: printed as gz prints its own (a logger's thread and class names mean nothing here).
    String what = e instanceof TrackingException t && t.isUnreachable() ? "stopped answering during run " + meta.runId
        : "failed for run " + meta.runId + " (" + e.getMessage() + ")";
    System.err.println("gz: the tracking server at " + server + " " + what + "; the run continues locally in "
        + folder.dir() + "; once the server is back, upload it with: gz sync " + folder.dir());
  }
}
