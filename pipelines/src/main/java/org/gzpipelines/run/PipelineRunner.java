package org.gzpipelines.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.flink.FlinkClusterRun;
import org.gzpipelines.flink.FlinkRestClient;
import org.gzpipelines.flink.JobJar;
import org.gzpipelines.tracking.TrackedRun;

/**
 * Where every Beam stage runs its pipeline, and the one place Beam's {@link PipelineOptions} are
 * built: the Direct runner in this JVM, an embedded Flink mini-cluster, or a real Flink cluster.
 * A stage builds its pipeline on {@link #options} and runs it with {@link #run}:
 *
 * <pre>{@code
 * Pipeline p = IngestPipeline.create(runner.options("ingest"), params, out);
 * runner.run(p);
 * }</pre>
 *
 * <p>With {@link Kind#FLINK}, {@link #options} fails early with a clear message when no cluster
 * answers at {@code flinkMaster} and stages the job jar ({@link JobJar}); {@link #run} prints the
 * Flink job id and web UI page and turns a failed job into its root cause.
 *
 * @param kind where pipelines run
 * @param flinkMaster host:port of the Flink JobManager's REST endpoint (kind FLINK)
 * @param parallelism workers; null: the number of cores, or on a cluster its task slots
 * @param checked keep the Direct runner's checks that DoFns neither mutate their inputs nor emit
 *     unencodable values: invaluable while writing transforms (tests), pure overhead in
 *     production (measured on evaluate: 105 s -> 50 s for 2,543 images)
 * @param slotTimeout on a Flink cluster, how long a job's tasks may wait for task slots before the
 *     job is cancelled with a message naming the TaskManagers that went away
 * @param jobsRun on a Flink cluster, the MLflow run that each job's id is tagged on ({@link
 *     #taggingJobsOn}), or null
 */
public record PipelineRunner(Kind kind, String flinkMaster, Integer parallelism, boolean checked, Duration slotTimeout,
    TrackedRun jobsRun) {

  public static final String DEFAULT_FLINK_MASTER = "127.0.0.1:8081";
  /** Flink's own slot request timeout is 5 minutes, and a restart then waits again. */
  public static final Duration DEFAULT_SLOT_TIMEOUT = Duration.ofMinutes(2);

  /** A runner with the default {@link #slotTimeout}. */
  public PipelineRunner(Kind kind, String flinkMaster, Integer parallelism, boolean checked) {
    this(kind, flinkMaster, parallelism, checked, DEFAULT_SLOT_TIMEOUT);
  }

  /** A runner that tags no run with its jobs. */
  public PipelineRunner(Kind kind, String flinkMaster, Integer parallelism, boolean checked, Duration slotTimeout) {
    this(kind, flinkMaster, parallelism, checked, slotTimeout, null);
  }

  /**
   * The same runner, tagging {@code run} with each Flink job it runs on a cluster ({@code
   * gz.flink.job.<pipeline>} = the job id, e.g. {@code gz.flink.job.ingest}), so a stage's MLflow run
   * leads to its jobs in Flink's web UI; a stage may run several (gz mergers: {@code
   * mergers-validation}, then {@code mergers}).
   */
  public PipelineRunner taggingJobsOn(TrackedRun run) {
    return new PipelineRunner(kind, flinkMaster, parallelism, checked, slotTimeout, run);
  }

  /**
   * The tag of a job on the stage's run: named by its pipeline ({@link #options}'s argument), the
   * job name without the time and random suffix {@link #configureCluster} gave it, so that the key
   * is the same from run to run (a filter or a column in MLflow) and the value differs.
   */
  public static String jobTag(String jobName) {
    return "gz.flink.job." + jobName.replaceFirst("^gz-", "").replaceFirst("-\\d{8}-\\d{6}-[0-9a-f]{4}$", "");
  }

  /** Where a pipeline runs. */
  public enum Kind {
    /** Beam's Direct runner, in this JVM. */
    DIRECT,
    /** An embedded Flink mini-cluster in this JVM ({@code --flinkMaster=[local]}). */
    FLINK_LOCAL,
    /** A running Flink cluster at {@code flinkMaster}. */
    FLINK;

    /** As typed on the command line: direct, flink-local, flink. */
    public String flag() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Accepts {@code flink-local} as well as {@code FLINK_LOCAL}. */
    public static Kind parse(String value) {
      return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }

  /** The Direct runner with one worker per core. */
  public static PipelineRunner direct() {
    return new PipelineRunner(Kind.DIRECT, DEFAULT_FLINK_MASTER, null, false);
  }

  /** The Direct runner with its immutability and encodability checks on, for tests. */
  public static PipelineRunner directChecked() {
    return new PipelineRunner(Kind.DIRECT, DEFAULT_FLINK_MASTER, null, true);
  }

  /** Options for the pipeline of {@code stage} (which names the job on a cluster: gz-ingest-...). */
  public PipelineOptions options(String stage) {
    int workers = parallelism != null ? parallelism : Runtime.getRuntime().availableProcessors();
    PipelineOptions options = PipelineOptionsFactory.create();
    switch (kind) {
      case DIRECT -> {
        options.setRunner(DirectRunner.class);
        DirectOptions direct = options.as(DirectOptions.class);
        direct.setTargetParallelism(workers);
        direct.setEnforceImmutability(checked);
        direct.setEnforceEncodability(checked);
      }
      case FLINK_LOCAL, FLINK -> {
        FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
        flink.setRunner(FlinkRunner.class);
        flink.setFlinkMaster(kind == Kind.FLINK_LOCAL ? "[local]" : flinkMaster);
        flink.setParallelism(workers);
        // Skip the defensive copy of every element between chained operators: the project's
        // DoFns never mutate their inputs (the Direct runner's immutability check in the tests
        // proves it), and the copies of decoded images cost CPU and garbage.
        flink.setFasterCopy(true);
        if (kind == Kind.FLINK) {
          configureCluster(flink, stage);
        } else {
          flink.setFlinkConfDir(EmbeddedFlinkScratch.folder().confDir().toString());
          flink.setJobName(jobName(stage)); // what Ctrl-C finds the embedded job by
        }
      }
    }
    return options;
  }

  /**
   * Before a stage starts its run: on a Flink cluster, fails with what to do unless the cluster
   * answers with the task slots the job needs, and embedded Flink unless the user's FLINK_CONF_DIR
   * reads, so a misfire leaves no FAILED run behind.
   */
  public void checkReady() {
    if (kind == Kind.FLINK) {
      parallelismOn(cluster().checkReachable());
    } else if (kind == Kind.FLINK_LOCAL) {
      EmbeddedFlinkScratch.folder();
    }
  }

  /** Every slot without --parallelism; more than the cluster has would only wait for slots, then fail. */
  private int parallelismOn(FlinkRestClient.Overview cluster) {
    if (parallelism == null) {
      return cluster.slotsTotal();
    }
    if (parallelism > cluster.slotsTotal()) {
      throw new UserError(String.format("--parallelism %d is more than the %d task slots of the Flink cluster at %s:"
          + " the job could not start. Use --parallelism %d (or leave it out to use every slot), or add TaskManagers"
          + " with infra/flink/start.sh --taskmanagers N.", parallelism, cluster.slotsTotal(), flinkMaster,
          cluster.slotsTotal()));
    }
    return parallelism;
  }

  /** Checks the cluster at flinkMaster, and sets parallelism, the staged jars (and where Beam zips classes) and the job name. */
  private void configureCluster(FlinkPipelineOptions flink, String stage) {
    flink.setParallelism(parallelismOn(cluster().checkReachable()));
    flink.setFilesToStage(JobJar.filesToStage());
    JobJar.classesJarFolder().ifPresent(folder -> flink.setTempLocation(folder.toString()));
    flink.setJobName(jobName(stage));
  }

  /**
   * A unique job name, set when the options are made (Beam's default is computed lazily, differently
   * by two threads): run() finds the Flink job by it, and users find "gz-ingest-..." in the web UI.
   */
  private static String jobName(String stage) {
    return String.format("gz-%s-%s-%04x", stage, LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")),
        ThreadLocalRandom.current().nextInt(0x10000));
  }

  /**
   * Runs a pipeline built on {@link #options} to completion; on a Flink cluster also reports the
   * job id and web UI, and turns a failure into Flink's root cause. A pipeline that ends in any
   * state but DONE is an error. Ctrl-C or SIGTERM ({@link StopSignals}) cancels the pipeline (on a
   * cluster through its REST API, an embedded Flink job through its mini-cluster's) and throws {@link
   * StageStopped}.
   */
  public PipelineResult run(Pipeline pipeline) {
    return run(pipeline, null);
  }

  /** {@link #run(Pipeline)}, drawing {@code progress} while the pipeline runs on the Direct runner (null: none). */
  public PipelineResult run(Pipeline pipeline, PipelineProgress progress) {
    StopSignals.check("before the pipeline started");
    PipelineResult result;
    try {
      result = switch (kind) {
        case FLINK -> {
          FlinkClusterRun cluster = cluster();
          try (StopSignals.Registration stop = StopSignals.onStop(cluster::cancel)) {
            yield cluster.run(pipeline);
          } finally {
            if (jobsRun != null) {
              // Failed and cancelled jobs too: their Flink pages hold the exceptions.
              cluster.jobId().ifPresent(id -> jobsRun.setTag(jobTag(pipeline.getOptions().getJobName()), id));
            }
          }
        }
        case DIRECT -> {
          pipeline.getOptions().as(DirectOptions.class).setBlockOnRun(false); // to keep a result to cancel
          PipelineResult running = pipeline.run();
          try (StopSignals.Registration stop = StopSignals.onStop(() -> cancel(running))) {
            if (progress == null) {
              running.waitUntilFinish();
            } else {
              progress.follow(running);
            }
          }
          yield running;
        }
        case FLINK_LOCAL -> {
          // Beam's run() returns only when the embedded job ends: Ctrl-C cancels it through the
          // mini-cluster's REST endpoint, as on a cluster, and run() then throws.
          EmbeddedJob embedded = new EmbeddedJob(EmbeddedFlinkScratch.folder().restMasters().stream()
              .map(FlinkRestClient::forMaster).toList(), pipeline.getOptions().getJobName());
          try (StopSignals.Registration stop = StopSignals.onStop(embedded::cancel)) {
            PipelineResult done = pipeline.run();
            done.waitUntilFinish();
            yield done;
          }
        }
      };
    } catch (CancellationException e) {
      throw new StageStopped(e.getMessage(), null);
    } catch (RuntimeException e) {
      if (StopSignals.requested().isPresent()) {
        throw new StageStopped("the pipeline was cancelled (" + e.getMessage() + ")", null);
      }
      throw e;
    }
    if (result.getState() != PipelineResult.State.DONE) {
      if (StopSignals.requested().isPresent()) {
        throw new StageStopped("the pipeline was cancelled", null);
      }
      throw new IllegalStateException("the pipeline ended " + result.getState());
    }
    return result;
  }

  private static void cancel(PipelineResult running) {
    try {
      running.cancel();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot cancel the pipeline", e);
    }
  }

  /** The runner as a run parameter: direct, flink-local or flink. */
  public String describe() {
    return kind.flag();
  }

  private FlinkClusterRun cluster() {
    return new FlinkClusterRun(FlinkRestClient.forMaster(flinkMaster), System.err, slotTimeout);
  }
}
