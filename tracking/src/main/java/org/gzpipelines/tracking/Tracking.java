package org.gzpipelines.tracking;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.mlflow.api.proto.Service;

/**
 * The entry point of experiment tracking. {@link #fromEnvironment()} reads {@code
 * MLFLOW_TRACKING_URI} (unset: offline, local run folders only) and {@code GZ_RUNS_DIR} (the root
 * of the local run folders, default {@code ./runs}).
 *
 * <pre>{@code
 * Tracking tracking = Tracking.fromEnvironment();
 * try (TrackedRun run = tracking.startRun("gz-train", "cnn-lr0.001")) {
 *   run.logParams(flatConfig);
 *   run.logMetric("train_rmse", rmse, imagesSeen);
 * }
 * }</pre>
 *
 * Every run writes a local folder; when a server is configured the run is also sent there, and a
 * server that is down or goes away never stops the run ({@link #sync} uploads it later).
 */
public final class Tracking implements AutoCloseable {
  public static final String URI_ENV = "MLFLOW_TRACKING_URI";
  public static final String RUNS_DIR_ENV = "GZ_RUNS_DIR";
  public static final String MAX_ARTIFACT_MB_ENV = "GZ_MAX_ARTIFACT_MB";
  static final long DEFAULT_MAX_ARTIFACT_MB = 1024;

  private final String trackingUri;
  private final MlflowRemote remote;
  private final Path runsDir;
  /** Runs not yet ended, in every Tracking of the JVM: one exit hook flushes their files. */
  private static final Set<LocalFirstRun> OPEN_RUNS = ConcurrentHashMap.newKeySet();

  static {
    // Make buffered metric points durable if the JVM exits without ending its runs.
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> OPEN_RUNS.forEach(LocalFirstRun::flushLocal), "gz-tracking-exit"));
  }

  private final Set<LocalFirstRun> openRuns = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean warnedUnreachable = new AtomicBoolean();
  private final Map<String, String> experimentIds = new ConcurrentHashMap<>();
  private volatile long maxArtifactBytes;
  private volatile int maxUnsentPoints = 50 * MlflowRemote.MAX_METRICS_PER_BATCH;
  private ScheduledExecutorService flusher;

  private Tracking(ServerAddress server, Path runsDir, int timeoutMs) {
    this.trackingUri = server == null ? null : server.url();
    this.remote = server == null ? null : new MlflowRemote(server, timeoutMs);
    this.runsDir = runsDir.toAbsolutePath().normalize();
    this.maxArtifactBytes = envMaxArtifactMb() << 20;
  }

  /**
   * System property naming the tracking server where the environment cannot be set, i.e. for
   * code that embeds the gz commands in a running JVM (tests); MLFLOW_TRACKING_URI wins.
   */
  public static final String URI_PROPERTY = "gz.mlflow.trackingUri";

  /** Tracking as the environment configures it: MLFLOW_TRACKING_URI, GZ_RUNS_DIR. */
  public static Tracking fromEnvironment() {
    String uri = System.getenv(URI_ENV);
    if (uri == null || uri.isBlank()) {
      uri = System.getProperty(URI_PROPERTY);
    }
    String dir = System.getenv(RUNS_DIR_ENV);
    Path runsDir = Path.of(dir == null || dir.isBlank() ? "runs" : dir);
    Tracking tracking = uri == null || uri.isBlank() ? offline(runsDir) : connect(uri.trim(), runsDir);
    tracking.closeAbandonedRuns().forEach(notice -> System.err.println("gz: " + notice));
    return tracking;
  }

  /**
   * Ends the runs under {@link #runsDir()} that a dead process left RUNNING ({@link
   * AbandonedRuns}) KILLED, locally and, for runs the server has, on the server (a server that
   * fails leaves that to {@code gz sync}). Cheap when there are none: one folder listing. Returns
   * what to tell the user of each.
   */
  public List<String> closeAbandonedRuns() {
    List<String> notices = new ArrayList<>();
    for (LocalRunFolder folder : AbandonedRuns.closeAll(runsDir)) {
      notices.add(AbandonedRuns.notice(folder));
      if (remote != null && folder.readMeta().serverRunId != null) {
        try {
          new RunSync(remote).sync(folder.dir());
        } catch (TrackingException e) {
          System.err.println("gz: cannot mark run " + folder.dir().getFileName() + " KILLED on the server ("
              + e.getMessage() + "); gz sync will");
        }
      }
    }
    return notices;
  }

  /** Local run folders only; {@link #sync} can upload them later. */
  public static Tracking offline(Path runsDir) {
    return new Tracking(null, runsDir, MlflowRemote.DEFAULT_TIMEOUT_MS);
  }

  /**
   * Tracks to the MLflow server at {@code trackingUri} (http or https) and to local run folders.
   * The server is not contacted here: a run started while it is down is tracked locally.
   */
  public static Tracking connect(String trackingUri, Path runsDir) {
    return connect(trackingUri, runsDir, MlflowRemote.DEFAULT_TIMEOUT_MS);
  }

  /**
   * As {@link #connect(String, Path)}, with a request timeout (a server silent this long is gone).
   * Credentials in the URL's user-info or in MLFLOW_TRACKING_TOKEN / _USERNAME / _PASSWORD are
   * sent to the server and never stored or printed ({@link ServerAddress}).
   */
  static Tracking connect(String trackingUri, Path runsDir, int timeoutMs) {
    return new Tracking(ServerAddress.of(checkUri(trackingUri), System.getenv()), runsDir, timeoutMs);
  }

  private static String checkUri(String uri) {
    String fix =
        "; give the URL of a tracking server, e.g. http://127.0.0.1:5000 (start one with"
            + " infra/mlflow/start.sh), or unset " + URI_ENV + " to track offline";
    String shown = Uris.withoutUserInfo(uri);
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      // URISyntaxException's message quotes the whole input, user-info included.
      throw new TrackingException(URI_ENV + "=" + shown + " is not a valid URL (" + e.getReason()
          + (e.getIndex() >= 0 ? " at index " + e.getIndex() : "") + ")" + fix);
    }
    if (!"http".equals(parsed.getScheme()) && !"https".equals(parsed.getScheme())) {
      throw new TrackingException(
          URI_ENV + "=" + shown + " is not an http(s) URL: this project's tracking talks to an MLflow"
              + " tracking server (file stores and databricks are not supported)" + fix);
    }
    if (parsed.getHost() == null) {
      throw new TrackingException(URI_ENV + "=" + shown + " names no host" + fix);
    }
    return uri;
  }

  private static long envMaxArtifactMb() {
    String v = System.getenv(MAX_ARTIFACT_MB_ENV);
    if (v == null || v.isBlank()) {
      return DEFAULT_MAX_ARTIFACT_MB;
    }
    try {
      long mb = Long.parseLong(v.trim());
      if (mb > 0) {
        return mb;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new TrackingException(MAX_ARTIFACT_MB_ENV + "=" + v + " is not a positive number of MiB");
  }

  /** The tracking server's URL without credentials, empty when offline. */
  public Optional<String> trackingUri() {
    return Optional.ofNullable(trackingUri);
  }

  public Path runsDir() {
    return runsDir;
  }

  /**
   * Where runs go, for the console: the server, or the local folder and how to upload it later. A
   * user who ran {@code gz demo} (which starts its own server) and then a command in a fresh shell
   * tracks offline without having chosen to.
   */
  public String destination() {
    return trackingUri != null ? "MLflow at " + trackingUri
        : "offline in " + runsDir + " (MLFLOW_TRACKING_URI is unset; gz sync uploads it later)";
  }

  /**
   * The experiment's runs table in the MLflow UI ({@code <uri>/#/experiments/<id>?workflowType=
   * machine_learning}), the link to print after a run; empty when offline. MLflow 3's UI keeps a
   * per-browser "GenAI | Model training" switch that starts on GenAI, where an experiment opens on
   * its traces overview whatever its kind tag says; the parameter turns the switch to Model
   * training. The server's URL alone where the experiment cannot be looked up.
   */
  public Optional<String> experimentPage(String experimentName) {
    if (remote == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(remote.findExperimentId(experimentName)
          .map(id -> trackingUri + "/#/experiments/" + id + "?workflowType=machine_learning")
          .orElse(trackingUri));
    } catch (TrackingException e) {
      return Optional.of(trackingUri); // the server went away: the link is all there is to print
    }
  }

  /** Largest artifact file accepted (default 1 GiB, or GZ_MAX_ARTIFACT_MB). */
  public Tracking maxArtifactBytes(long bytes) {
    this.maxArtifactBytes = bytes;
    return this;
  }

  long maxArtifactBytes() {
    return maxArtifactBytes;
  }

  int maxUnsentPoints() {
    return maxUnsentPoints;
  }

  /**
   * System property naming a run that every run started with {@link #startRun(String, String)}
   * becomes a child of: {@code gz run} sets it so that its stages, which each start their own
   * run, nest under one parent run.
   */
  public static final String PARENT_RUN_PROPERTY = "gz.parentRunId";

  /**
   * Starts a run in the experiment (created if missing), or, while {@link #PARENT_RUN_PROPERTY}
   * is set, a child of that run in the parent's experiment.
   */
  public TrackedRun startRun(String experimentName, String runName) {
    String parent = System.getProperty(PARENT_RUN_PROPERTY);
    if (parent != null && !parent.isBlank()) {
      return startChildOf(parent, runName);
    }
    return startRun(experimentName, runName, null);
  }

  TrackedRun startRun(String experimentName, String runName, LocalFirstRun parent) {
    return parent == null
        ? startRun(experimentName, runName, null, null)
        : startRun(experimentName, runName, parent.runId(), parent.serverRunId());
  }

  /**
   * Starts a child run under a run that may have ended long ago (a stage run after training, e.g.
   * "evaluate" under a model's run), in the parent's experiment. The parent is found in its local
   * run folder under {@link #runsDir()}, else on the server.
   */
  public TrackedRun startChildOf(String parentRunId, String runName) {
    Path dir = runsDir.resolve(parentRunId);
    if (LocalRunFolder.isRunFolder(dir)) {
      RunMeta parent = LocalRunFolder.open(dir).readMeta();
      return startRun(parent.experimentName, runName, parent.runId, remote == null ? null : parent.serverRunId);
    }
    MlflowRemote server = requireServer("starting a child of run " + parentRunId + " (no local run folder " + dir + ")");
    Service.Run parent = server.getRun(parentRunId);
    String experimentName = server.experimentName(parent.getInfo().getExperimentId());
    return startRun(experimentName, runName, null, parent.getInfo().getRunId());
  }

  private TrackedRun startRun(String experimentName, String runName, String parentLocalId, String parentServerId) {
    if (experimentName == null || experimentName.isBlank()) {
      throw new IllegalArgumentException("experiment name is empty");
    }
    if (runName == null || runName.isBlank()) {
      throw new IllegalArgumentException("run name is empty");
    }
    long start = System.currentTimeMillis();
    Map<String, String> localValues = new LinkedHashMap<>();
    Map<String, String> tags = SharedValues.of(Provenance.tags(), "tags.", localValues);
    MlflowRemote server = remote;
    if (parentLocalId != null && parentServerId == null) {
      server = null; // the parent is local-only: keep the family together, sync uploads both
    }
    Service.RunInfo created = null;
    if (server != null) {
      try {
        String experimentId = experimentIds.computeIfAbsent(experimentName, server::experimentId);
        Map<String, String> createTags = new LinkedHashMap<>(tags);
        if (parentServerId != null) {
          createTags.put("mlflow.parentRunId", parentServerId);
        }
        created = server.createRun(experimentId, runName, start, createTags);
      } catch (TrackingException e) {
        if (warnedUnreachable.compareAndSet(false, true)) {
          System.err.println("gz: " + e.getMessage() + "; tracking run '" + runName + "' locally under " + runsDir);
        }
        server = null;
      }
    }
    RunMeta meta = new RunMeta();
    meta.runId = created != null ? created.getRunId() : UUID.randomUUID().toString().replace("-", "");
    meta.serverRunId = created != null ? created.getRunId() : null;
    meta.trackingUri = created != null ? trackingUri : null;
    meta.experimentName = experimentName;
    meta.runName = runName;
    meta.parentRunId = parentLocalId;
    meta.startTime = start;
    meta.owner = ProcessOwner.current();
    meta.localValues.putAll(localValues);
    meta.localValues.put(SharedPaths.WORKING_FOLDER, Path.of("").toAbsolutePath().toString());
    LocalRunFolder folder = LocalRunFolder.create(runsDir, meta);
    LocalFirstRun run = new LocalFirstRun(this, folder, meta, tags, server, created == null ? null : created.getArtifactUri());
    if (remote != null && created == null) {
      run.serverUnreachable(); // a server is configured, and lacks this run until gz sync
    }
    return opened(run);
  }

  /**
   * Continues an ended (or abandoned) run in its folder, as {@code gz train --resume} does: the
   * same run id, status RUNNING again locally and on the server (MLflow's update-run), so that
   * what follows lands in the same MLflow run. Whatever the server lacks of the folder is uploaded
   * first; without a server, or when it fails, the run continues locally for {@code gz sync}.
   *
   * @throws TrackingException when the run is still running in a live process
   */
  public TrackedRun reopen(Path runFolder) {
    LocalRunFolder folder = LocalRunFolder.open(runFolder);
    AbandonedRuns.closeIfAbandoned(folder);
    RunMeta before = folder.readMeta();
    if ("RUNNING".equals(before.status)) {
      throw new TrackingException("run " + before.runId + " is still RUNNING"
          + (before.owner == null ? "" : " in " + before.owner) + "; stop it before continuing it");
    }
    folder.dropTornMetricsLine();
    MlflowRemote server = remote;
    String artifactUri = null;
    if (server != null) {
      try {
        // Creates the run there if it was tracked offline; the server must hold every point before new ones follow.
        new RunSync(server).sync(folder.dir());
        String serverRunId = folder.readMeta().serverRunId;
        server.reopen(serverRunId);
        artifactUri = server.getRun(serverRunId).getInfo().getArtifactUri();
      } catch (TrackingException e) {
        System.err.println("gz: " + e.getMessage() + "; continuing run " + before.runId + " locally in " + folder.dir());
        server = null;
      }
    }
    RunMeta meta = folder.readMeta(); // as the sync left it
    SyncState sync = folder.readSync();
    meta.status = "RUNNING";
    meta.endTime = 0;
    meta.synced = false;
    meta.owner = ProcessOwner.current();
    sync.endConfirmed = false;
    folder.writeMeta(meta);
    folder.writeSync(sync);
    return opened(new LocalFirstRun(this, folder, meta, folder.readParams(), folder.readTags(), sync, server, artifactUri));
  }

  private LocalFirstRun opened(LocalFirstRun run) {
    AbandonedRuns.opened(run.localDir().getParent(), run.runId());
    openRuns.add(run);
    OPEN_RUNS.add(run);
    return run;
  }

  void ended(LocalFirstRun run) {
    openRuns.remove(run);
    OPEN_RUNS.remove(run);
    AbandonedRuns.closed(run.localDir().getParent(), run.runId());
  }

  synchronized ScheduledExecutorService flusher() {
    if (flusher == null) {
      ScheduledThreadPoolExecutor executor =
          new ScheduledThreadPoolExecutor(
              1,
              r -> {
                Thread t = new Thread(r, "gz-tracking-flush");
                t.setDaemon(true);
                return t;
              });
      executor.setRemoveOnCancelPolicy(true);
      flusher = executor;
    }
    return flusher;
  }

  /**
   * Runs of an experiment matching an MLflow search filter, e.g. {@code "params.model = 'cnn'"}
   * or {@code "tags.`gz.sweep` = 'lr'"} ("" for all), newest first. Needs the server.
   */
  public List<RunSummary> findRuns(String experimentName, String filter) {
    MlflowRemote server = requireServer("finding runs");
    Optional<String> experimentId = server.findExperimentId(experimentName);
    if (experimentId.isEmpty()) {
      return List.of();
    }
    List<RunSummary> runs = new ArrayList<>();
    for (Service.Run r : server.searchRuns(experimentId.get(), filter == null ? "" : filter)) {
      runs.add(summary(r));
    }
    return runs;
  }

  /**
   * A run of {@link #latestRuns}, with the name of its experiment; {@code unsynced}: it ended in its
   * local folder here, but the server lacks part of it (it went on offline), so {@code run} is the
   * folder's, which holds all of it.
   */
  public record ListedRun(String experiment, RunSummary run, boolean unsynced) {}

  /**
   * The newest runs, at most {@code limit}, of one experiment (or of every one when null) that
   * match an MLflow search filter ({@code ""} for all): from the server when one is configured,
   * else from the local run folders, where only an empty filter can be applied.
   */
  public List<ListedRun> latestRuns(String experimentName, String filter, int limit) {
    if (remote != null) {
      Map<String, String> names = remote.experimentNames();
      List<String> ids = names.entrySet().stream()
          .filter(e -> experimentName == null || e.getValue().equals(experimentName)).map(Map.Entry::getKey).toList();
      if (ids.isEmpty()) {
        throw new TrackingException("no experiment '" + experimentName + "' on the MLflow server at " + trackingUri
            + "; its experiments: " + String.join(", ", names.values()));
      }
      return remote.searchRuns(ids, filter, limit).stream().map(r -> {
        String experiment = names.get(r.getInfo().getExperimentId());
        Path dir = runsDir.resolve(r.getInfo().getRunId());
        RunMeta local = LocalRunFolder.isRunFolder(dir) ? LocalRunFolder.open(dir).readMeta() : null;
        // Ended here but not confirmed there (a live run is not synced either: it is still sending).
        boolean unsynced = local != null && !"RUNNING".equals(local.status) && !local.synced;
        return new ListedRun(experiment, unsynced ? localSummary(dir) : summary(r), unsynced);
      }).toList();
    }
    if (!filter.isBlank()) {
      throw new TrackingException("a search filter needs a tracking server (set " + URI_ENV + "); without --filter,"
          + " gz runs lists the runs tracked offline in " + runsDir + ", newest first");
    }
    List<RunMeta> metas = new ArrayList<>();
    if (Files.isDirectory(runsDir)) {
      try (var dirs = Files.list(runsDir)) {
        dirs.filter(LocalRunFolder::isRunFolder).forEach(d -> metas.add(LocalRunFolder.open(d).readMeta()));
      } catch (IOException e) {
        throw new TrackingException("cannot list the run folders in " + runsDir + ": " + e, e);
      }
    }
    return metas.stream().filter(m -> experimentName == null || experimentName.equals(m.experimentName))
        .sorted(Comparator.comparingLong((RunMeta m) -> m.startTime).reversed()).limit(limit)
        .map(m -> new ListedRun(m.experimentName, localSummary(runsDir.resolve(m.runId)), false)).toList();
  }

  /**
   * A run's identity, params, tags and latest metrics: from the server when one is configured,
   * else (or while it does not answer, for a run with a local folder) from the local run folder.
   */
  public RunSummary getRun(String runId) {
    return serverElseFolder(runId,
        () -> remote.findRun(serverId(runId)).map(Tracking::summary).orElseThrow(() -> notOnServer(runId)),
        dir -> {
          if (!LocalRunFolder.isRunFolder(dir)) {
            throw new TrackingException("no run " + runId + ": there is no run folder " + dir + " (offline tracking); set "
                + URI_ENV + " to read runs from a tracking server, or GZ_RUNS_DIR to the runs directory that holds it");
          }
          return localSummary(dir);
        });
  }

  /**
   * {@code fromServer}'s answer where a server is configured; else, or while it does not answer for
   * a run with a folder here, {@code fromFolder}'s on that folder: a study whose server went away
   * goes on with the runs it has here (gz sync uploads them later).
   */
  private <T> T serverElseFolder(String runId, Supplier<T> fromServer, Function<Path, T> fromFolder) {
    Path dir = runsDir.resolve(runId);
    if (remote != null) {
      try {
        return fromServer.get();
      } catch (TrackingException e) {
        if (!e.isUnreachable() || !LocalRunFolder.isRunFolder(dir)) {
          throw e;
        }
      }
    }
    return fromFolder.apply(dir);
  }

  /** The summary a local run folder records, whatever a server holds (e.g. a run it lacks). */
  public static RunSummary localSummary(Path dir) {
    LocalRunFolder folder = LocalRunFolder.open(dir);
    RunMeta meta = folder.readMeta();
    Map<String, Double> latest = new LinkedHashMap<>();
    for (MetricPoint p : folder.readMetrics()) {
      latest.put(p.key(), p.value()); // file order is logging order: the last value wins
    }
    return new RunSummary(meta.runId, meta.runName, meta.experimentName, meta.status, meta.startTime, meta.endTime,
        folder.readParams(), folder.readTags(), latest);
  }

  /**
   * Why the server has no run {@code runId}, with the fix: a run folder tracked offline is uploaded
   * by gz sync; any other id was mistyped, or copied from another server.
   */
  private TrackingException notOnServer(String runId) {
    Path dir = runsDir.resolve(runId);
    if (LocalRunFolder.isRunFolder(dir) && LocalRunFolder.open(dir).readMeta().serverRunId == null) {
      return new TrackingException("run " + runId + " is not on the MLflow server at " + trackingUri
          + ": it was tracked offline in " + dir + "; upload it with `gz sync " + dir + "`");
    }
    return new TrackingException("no run " + runId + " on the MLflow server at " + trackingUri + ": check the id"
        + " against the line 'gz <stage>: run <id> ...' that the run printed, or the run's page in the MLflow UI at "
        + trackingUri);
  }

  /** The name of the experiment that holds {@code runId}. */
  public String experimentOf(String runId) {
    RunSummary r = getRun(runId);
    return remote != null ? remote.experimentName(r.experimentId()) : r.experimentId(); // offline: the name
  }

  /**
   * A metric's full history (every step, in step order), for curves and comparisons. From the
   * server when one is configured, else (or while it does not answer, for a run with a local
   * folder) from the local run folder.
   */
  public List<MetricPoint> metricHistory(String runId, String key) {
    return serverElseFolder(runId, () -> remote.metricHistory(serverId(runId), key), dir -> {
      List<MetricPoint> points = new ArrayList<>();
      for (MetricPoint p : LocalRunFolder.open(dir).readMetrics()) {
        if (p.key().equals(key)) {
          points.add(p);
        }
      }
      points.sort(Comparator.comparingLong(MetricPoint::step).thenComparingLong(MetricPoint::timestamp));
      return points;
    });
  }

  /**
   * The lowest value a run logged for a metric, NaN when it logged none. A training run's lowest
   * {@code val_rmse} is that of its best-model, the model gz hands on, where its latest is that of
   * its last evaluation.
   */
  public double lowestMetric(String runId, String key) {
    return metricHistory(runId, key).stream().mapToDouble(MetricPoint::value).min().orElse(Double.NaN);
  }

  /**
   * Uploads a run folder to the server, or every run folder under a runs directory: creates the
   * runs the server does not have and completes those it has only in part. A second sync of the
   * same folders uploads nothing.
   */
  public List<SyncReport> sync(Path runFolderOrRunsDir) {
    List<SyncReport> reports = new ArrayList<>();
    sync(runFolderOrRunsDir, () -> false, reports::add);
    return reports;
  }

  /**
   * {@link #sync(Path)}, handing each run's report to {@code done} as soon as it is synced, and
   * asking {@code stop} before each run folder: once it answers true, no further run is begun
   * (each run is uploaded whole; one stopped by a failure resumes where it stopped). A folder the
   * server refuses (one of another server) is named at the end, after every other folder is synced.
   */
  public void sync(Path runFolderOrRunsDir, BooleanSupplier stop, Consumer<SyncReport> done) {
    MlflowRemote server = requireServer("sync");
    RunSync sync = new RunSync(server);
    if (LocalRunFolder.isRunFolder(runFolderOrRunsDir)) {
      sync.sync(runFolderOrRunsDir).forEach(done);
      return;
    }
    if (!Files.isDirectory(runFolderOrRunsDir)) {
      throw new TrackingException(
          runFolderOrRunsDir + " does not exist; give a run folder or a runs directory (GZ_RUNS_DIR,"
              + " default ./runs)");
    }
    List<Path> folders;
    try (Stream<Path> list = Files.list(runFolderOrRunsDir)) {
      folders = list.filter(LocalRunFolder::isRunFolder).sorted().toList();
    } catch (IOException e) {
      throw new TrackingException("cannot list " + runFolderOrRunsDir + ": " + e, e);
    }
    if (folders.isEmpty()) {
      throw new TrackingException(
          runFolderOrRunsDir + " holds no run folders (folders with a meta.json); give a run folder or"
              + " a runs directory");
    }
    Set<String> synced = new HashSet<>();
    List<String> refused = new ArrayList<>();
    for (Path folder : folders) {
      if (stop.getAsBoolean()) {
        return;
      }
      if (!synced.contains(folder.getFileName().toString())) { // a child's sync may already have synced its parent
        try {
          for (SyncReport report : sync.sync(folder)) {
            if (synced.add(report.localRunId())) {
              done.accept(report);
            }
          }
        } catch (TrackingException e) {
          if (e.isUnreachable()) {
            throw e; // the server is gone: no other folder can be synced either
          }
          refused.add(e.getMessage()); // one folder (of another server, say) does not hold up the rest
        }
      }
    }
    if (!refused.isEmpty()) {
      throw new TrackingException(refused.size() + " run folder(s) of " + runFolderOrRunsDir + " could not be synced (the"
          + " others were):" + System.lineSeparator() + "  " + String.join(System.lineSeparator() + "  ", refused));
    }
  }

  /**
   * Registers the logged model {@code modelName} ({@link TrackedRun#logModel}) of a run in the
   * Model Registry under {@code registeredName} (created if missing), linked to the run; the same
   * model registered again keeps its version. When the server does not have the whole run yet (it
   * was tracked offline, or the server went away), the registration is recorded in the run's local
   * folder for {@code gz sync} to make, and the answer is empty.
   */
  public Optional<ModelVersion> registerModel(String runId, String modelName, String registeredName) {
    Path dir = runsDir.resolve(runId);
    if (!LocalRunFolder.isRunFolder(dir)) {
      MlflowRemote server = requireServer("registering a model of run " + runId + " (no local run folder " + dir + ")");
      return Optional.of(ModelRegistry.register(server, runId, modelName, registeredName));
    }
    LocalRunFolder folder = LocalRunFolder.open(dir);
    RunMeta meta = folder.readMeta();
    if (remote != null && meta.synced) {
      try {
        return Optional.of(ModelRegistry.register(remote, meta.serverRunId, modelName, registeredName));
      } catch (TrackingException e) {
        if (!e.isUnreachable()) {
          throw e;
        }
        meta.synced = false; // gz sync now has this registration to make
      }
    }
    meta.registerAs.put(registeredName, modelName);
    folder.writeMeta(meta);
    return Optional.empty();
  }

  /**
   * Another version of {@code version}'s registered model whose training run logged a lower
   * {@code metric} (e.g. val_rmse; each run's {@link #lowestMetric}), the lowest: a new version is
   * also {@code models:/<name>/latest}, which then is not the best. Empty offline, or when no
   * version is better.
   */
  public Optional<ModelVersion> betterVersion(ModelVersion version, String metric) {
    if (remote == null) {
      return Optional.empty();
    }
    double own = lowestMetric(version.runId(), metric);
    ModelVersion best = null;
    double bestValue = own;
    // One request per version: each one's metric is read once.
    for (ModelVersion v : ModelRegistry.versions(remote, version.name())) {
      double value = v.version().equals(version.version()) ? own : lowestMetric(v.runId(), metric);
      if (value < bestValue) {
        best = v;
        bestValue = value;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Whether a string is a model URI {@link #downloadModel} takes ({@code models:/...}, {@code runs:/...}). */
  public static boolean isModelUri(String s) {
    return ModelDownload.isModelUri(s);
  }

  /**
   * Fetches {@code models:/<name>/<version>} (or {@code @<alias>}, {@code /latest}, {@code
   * models:/m-<id>}) or {@code runs:/<run id>/<artifact folder>} from the
   * server into a folder under {@code cache}, unless it is there already. Needs the server.
   */
  public DownloadedModel downloadModel(String modelUri, Path cache) {
    return ModelDownload.download(requireServer("fetching " + modelUri), modelUri, cache);
  }

  private MlflowRemote requireServer(String what) {
    if (remote == null) {
      throw new TrackingException(
          what + " needs an MLflow tracking server: set " + URI_ENV + " (start one with"
              + " infra/mlflow/start.sh)");
    }
    return remote;
  }

  /** A local run id that was synced maps to its server id; any other id is used as is. */
  private String serverId(String runId) {
    Path dir = runsDir.resolve(runId);
    if (LocalRunFolder.isRunFolder(dir)) {
      String serverRunId = LocalRunFolder.open(dir).readMeta().serverRunId;
      if (serverRunId != null) {
        return serverRunId;
      }
    }
    return runId;
  }

  private static RunSummary summary(Service.Run r) {
    Map<String, String> params = new LinkedHashMap<>();
    r.getData().getParamsList().forEach(p -> params.put(p.getKey(), p.getValue()));
    Map<String, String> tags = new LinkedHashMap<>();
    r.getData().getTagsList().forEach(t -> tags.put(t.getKey(), t.getValue()));
    Map<String, Double> metrics = new LinkedHashMap<>();
    r.getData().getMetricsList().forEach(m -> metrics.put(m.getKey(), m.getValue()));
    Service.RunInfo info = r.getInfo();
    return new RunSummary(
        info.getRunId(),
        info.getRunName(),
        info.getExperimentId(),
        info.getStatus().name(),
        info.getStartTime(),
        info.getEndTime(),
        params,
        tags,
        metrics);
  }

  /** Ends the runs still open (as FINISHED, like {@link TrackedRun#close}), then stops. */
  @Override
  public synchronized void close() {
    for (LocalFirstRun run : List.copyOf(openRuns)) {
      run.close();
    }
    if (flusher != null) {
      flusher.shutdown();
    }
    if (remote != null) {
      remote.close();
    }
  }
}
