package org.gzpipelines.flink;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.gzpipelines.errors.UserError;

/**
 * Runs a Beam pipeline on a Flink cluster with what a user needs around it: a clear error when no
 * cluster answers, the Flink job id and web UI page once the job is submitted, on failure Flink's
 * root cause instead of the runner's wall of wrapped stack traces, {@link #cancel} (Ctrl-C) through
 * the REST API, a job that waits for task slots longer than a bound ({@link SlotWait})
 * cancelled with a message naming the TaskManagers that went away, and a cluster that stops under
 * the job reported within {@link #LOST_AFTER} rather than after the runner's own minute of retries.
 */
public final class FlinkClusterRun {

  private static final Duration POLL = Duration.ofMillis(500);
  /**
   * How long the REST endpoint may refuse connections before the job is given up as lost: Beam's
   * runner keeps asking for the job's result for about a minute. Only a refused connection counts
   * (the JobManager's port is closed: the process is gone), not a slow answer from a busy one.
   */
  static final Duration LOST_AFTER = Duration.ofSeconds(10);

  private final FlinkRestClient rest;
  private final PrintStream log;
  private final Duration slotTimeout;
  private final AtomicReference<FlinkRestClient.Job> job = new AtomicReference<>();
  private final AtomicBoolean cancelSent = new AtomicBoolean();
  private volatile boolean cancelRequested;
  /** Why the job is being cancelled for want of slots; null while it is not. */
  private volatile String slotFailure;
  /** Since when the REST endpoint refuses connections; null while it answers. */
  private volatile Instant refusedSince;
  /** Completed by the watcher once the cluster has refused connections for {@link #LOST_AFTER}. */
  private final CompletableFuture<Void> lost = new CompletableFuture<>();

  /**
   * @param slotTimeout how long the job's tasks may wait for task slots before it is cancelled
   */
  public FlinkClusterRun(FlinkRestClient rest, PrintStream log, Duration slotTimeout) {
    this.rest = rest;
    this.log = log;
    this.slotTimeout = slotTimeout;
    // FlinkRunner logs the whole wrapped stack trace at ERROR before it rethrows; run() reports
    // the root cause instead. slf4j-simple reads a logger's level when the logger is created
    // (FlinkRunner's class initialisation, in Pipeline.create), so this must come before that.
    String quietRunner = "org.slf4j.simpleLogger.log." + FlinkRunner.class.getName();
    System.setProperty(quietRunner, System.getProperty(quietRunner, "off"));
  }

  /**
   * Fails with a message saying what to do unless a cluster with TaskManagers answers, and runs the
   * Flink minor version the runner builds jobs for: Beam's Flink runner is made per Flink minor
   * version (beam-runners-flink-1.19) because a job built against one is not made to run on another,
   * and without this check a mismatch would show only once the job is submitted.
   */
  public FlinkRestClient.Overview checkReachable() {
    FlinkRestClient.Overview overview;
    try {
      overview = rest.overview();
    } catch (IOException e) {
      throw new UserError("no Flink cluster answers at " + rest.webUi() + " (" + describe(e)
          + "). Start one with infra/flink/start.sh or check --flink-master.");
    }
    if (overview.taskManagers() == 0) {
      throw new UserError("the Flink cluster at " + rest.webUi() + " has no TaskManager to run the job."
          + " Start some with infra/flink/start.sh --taskmanagers N.");
    }
    String runner = EnvironmentInformation.getVersion();
    if (!overview.flinkVersion().isBlank() && !minor(overview.flinkVersion()).equals(minor(runner))) {
      throw new UserError("the Flink cluster at " + rest.webUi() + " runs Flink " + overview.flinkVersion()
          + ", and gz submits jobs with Beam's runner for Flink " + minor(runner) + " (" + runner + "): a job built"
          + " for one Flink minor version does not run on another. Start a Flink " + minor(runner) + " cluster"
          + " (infra/flink/start.sh does) or give --flink-master one that runs it.");
    }
    return overview;
  }

  /** "1.19" of "1.19.0". */
  private static String minor(String version) {
    String[] parts = version.split("\\.");
    return parts.length >= 2 ? parts[0] + "." + parts[1] : version;
  }

  /**
   * Runs the pipeline to completion (the classic FlinkRunner blocks until a batch job ends). Build
   * the pipeline after constructing this object (see the constructor).
   *
   * @throws CancellationException when {@link #cancel} cancelled the job
   * @throws FlinkJobFailed when the job failed, or waited for task slots past the timeout
   */
  public PipelineResult run(Pipeline pipeline) {
    String jobName = pipeline.getOptions().getJobName();
    Instant submitted = Instant.now();
    SlotWait slots = new SlotWait(rest, slotTimeout, taskManagersNow());
    ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "flink-job-watcher");
      t.setDaemon(true);
      return t;
    });
    watcher.scheduleWithFixedDelay(() -> watch(jobName, submitted, slots), 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
    // The runner blocks until the job ends, so it runs on a thread of its own and this one waits for
    // whichever comes first: the job's end, or the watcher's verdict that the cluster is gone.
    ExecutorService submitter = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "flink-job-client");
      t.setDaemon(true); // after a lost cluster, Beam's client retries on it for a minute: do not wait for it
      return t;
    });
    try {
      CompletableFuture<PipelineResult> running = CompletableFuture.supplyAsync(pipeline::run, submitter);
      CompletableFuture.anyOf(running, lost).exceptionally(e -> null).join();
      if (!running.isDone()) {
        throw failure(new IllegalStateException(String.format(Locale.ROOT, "the cluster at %s refused connections"
            + " for %d s while the job ran", rest.webUi(), LOST_AFTER.toSeconds())), jobName,
            Optional.ofNullable(job.get()));
      }
      PipelineResult result = resultOf(running);
      findJob(jobName, submitted);
      log.printf("gz: Flink job %s finished (%s) in %.1f s%n", jobId(jobName), result.getState(),
          Duration.between(submitted, Instant.now()).toMillis() / 1000.0);
      recoveries().ifPresent(log::println);
      return result;
    } catch (FlinkJobFailed e) {
      throw e;
    } catch (RuntimeException e) {
      findJob(jobName, submitted);
      if (slotFailure != null) {
        throw new FlinkJobFailed(slotFailure, e);
      }
      if (cancelRequested) {
        throw new CancellationException("Flink job " + jobId(jobName) + " was cancelled");
      }
      throw failure(e, jobName, Optional.ofNullable(job.get()));
    } finally {
      watcher.shutdownNow();
      submitter.shutdown();
    }
  }

  /** The finished job's result, or what the runner threw, as it threw it. */
  private static PipelineResult resultOf(CompletableFuture<PipelineResult> done) {
    try {
      return done.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  /**
   * Cancels the job (PATCH /jobs/&lt;id&gt;?mode=cancel): at once when it is known, else as soon
   * as the watcher finds it. Safe from any thread, e.g. the Ctrl-C handler; {@link #run} then
   * throws {@link CancellationException}.
   */
  public void cancel() {
    cancelRequested = true;
    cancelIfAsked();
  }

  /** Every poll: find the job, bound its wait for slots, send a pending cancel. Never throws. */
  private void watch(String jobName, Instant submitted, SlotWait slots) {
    findJob(jobName, submitted);
    FlinkRestClient.Job j = job.get();
    try {
      if (j != null && slotFailure == null) {
        slotFailure = slots.check(j.id()).orElse(null);
      }
    } catch (IOException | RuntimeException e) {
      // The job itself reports a lost cluster; a scheduled task that throws is never run again.
    }
    cancelIfAsked();
    checkContact();
  }

  /** Notes whether the REST endpoint still accepts connections; gives the job up once it has refused for LOST_AFTER. */
  private void checkContact() {
    try {
      rest.overview();
      refusedSince = null;
    } catch (IOException e) {
      if (!refused(e)) {
        return; // a slow or odd answer: the JobManager is there
      }
      Instant now = Instant.now();
      if (refusedSince == null) {
        refusedSince = now;
      } else if (Duration.between(refusedSince, now).compareTo(LOST_AFTER) >= 0) {
        lost.complete(null);
      }
    } catch (RuntimeException e) {
      // never throw from the watcher: a scheduled task that throws is never run again
    }
  }

  private void cancelIfAsked() {
    FlinkRestClient.Job j = job.get();
    if (j == null || !(cancelRequested || slotFailure != null) || !cancelSent.compareAndSet(false, true)) {
      return;
    }
    try {
      rest.cancel(j.id());
      log.printf("gz: cancelling Flink job %s%n", j.id());
    } catch (IOException e) {
      cancelSent.set(false); // the next poll tries again
      log.printf("gz: cannot cancel Flink job %s yet (%s); retrying%n", j.id(), e.getMessage());
    }
  }

  private List<String> taskManagersNow() {
    try {
      return rest.taskManagerIds();
    } catch (IOException e) {
      return List.of(); // the job's own submission reports an unreachable cluster
    }
  }

  /** The id of the job {@link #run} submitted, once the cluster lists it. */
  public Optional<String> jobId() {
    return Optional.ofNullable(job.get()).map(FlinkRestClient.Job::id);
  }

  /** A line naming the failures a finished job recovered from (a lost TaskManager), if any: its DONE hides them. */
  private Optional<String> recoveries() {
    FlinkRestClient.Job j = job.get();
    if (j == null) {
      return Optional.empty();
    }
    try {
      List<String> failures = rest.exceptionHistory(j.id());
      return failures.isEmpty() ? Optional.empty() : Optional.of(String.format(Locale.ROOT,
          "gz: the job recovered from %d failure(s) (the first: %s) and wrote each record once; web UI: %s (Exceptions tab)",
          failures.size(), failures.get(0), rest.completedJobPage(j.id())));
    } catch (IOException e) {
      return Optional.empty(); // the cluster went away after the job: nothing more to say
    }
  }

  private String jobId(String jobName) {
    FlinkRestClient.Job j = job.get();
    return j == null ? jobName : j.id();
  }

  private void findJob(String jobName, Instant submitted) {
    if (job.get() != null) {
      return;
    }
    try {
      Optional<FlinkRestClient.Job> listed = rest.job(jobName);
      if (listed.isPresent() && job.compareAndSet(null, listed.get())) {
        FlinkRestClient.Job j = listed.get();
        // The time to here is translation plus uploading the staged files: the staging cost.
        log.printf("gz: Flink job %s (%s) submitted in %.1f s; web UI: %s%n", j.id(), jobName,
            Duration.between(submitted, Instant.now()).toMillis() / 1000.0, rest.jobPage(j.id()));
      }
    } catch (IOException | RuntimeException e) {
      // The job itself reports a lost cluster; the watcher only adds the id when it can (and must
      // not throw: a scheduled task that throws is never run again).
    }
  }

  // Package-private for FlinkJobFailureMessageTest.
  FlinkJobFailed failure(RuntimeException e, String jobName, Optional<FlinkRestClient.Job> job) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    StringBuilder message = new StringBuilder("Flink job ");
    message.append(job.map(FlinkRestClient.Job::id).orElse(jobName));
    int attempts = 0;
    if (job.isPresent()) {
      try {
        attempts = rest.exceptionHistory(job.get().id()).size();
      } catch (IOException ignored) {
        // No history when the cluster went away; the root cause says why.
      }
    }
    message.append(" failed");
    if (attempts > 1) {
      message.append(" ").append(attempts).append(" times (the cluster's restart strategy gave up)");
    }
    message.append(": ").append(root.toString().lines().findFirst().orElse(root.getClass().getName()));
    if (!answers()) {
      // A cluster stopped or lost under the job: its web UI is gone too, so say what brings it back.
      message.append(System.lineSeparator()).append("  the cluster at ").append(rest.webUi())
          .append(" no longer answers: start it again with infra/flink/start.sh, then run the same command again");
    } else {
      job.ifPresent(j -> message.append(System.lineSeparator()).append("  web UI: ").append(rest.completedJobPage(j.id()))
          .append(" (Exceptions tab); TaskManager logs: the UI's Task Managers page"));
    }
    return new FlinkJobFailed(message.toString(), e);
  }

  private boolean answers() {
    try {
      rest.overview();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String describe(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      // Java's HttpClient reports a host name that does not resolve as a ConnectException too.
      if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
        return "the host name does not resolve";
      }
    }
    String what = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    if (what.contains("header parser received no bytes")) {
      return "something answers there, but not HTTP: Flink's RPC port (6123) rather than its REST port (8081)?";
    }
    return refused(e) ? "connection refused" : what;
  }

  /** Whether nothing took the connection (Java's HttpClient wraps the ConnectException, or not). */
  private static boolean refused(IOException e) {
    return e instanceof java.net.ConnectException || e.getCause() instanceof java.net.ConnectException;
  }
}
