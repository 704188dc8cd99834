package org.gzpipelines.cli;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.gzpipelines.flink.FlinkClusterRun;
import org.gzpipelines.flink.FlinkRestClient;
import org.gzpipelines.flink.JobJar;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The runner flags every pipeline command shares, turned into Beam's typed {@link
 * PipelineOptions}: the Direct runner on this machine, an embedded Flink mini-cluster, or a real
 * Flink cluster. A command builds its options with {@link #options}, its pipeline on them, and
 * runs it with {@link #run}:
 *
 * <pre>{@code
 * Pipeline p = Pipeline.create(runner.options(IngestOptions.class));
 * ...
 * runner.run(p);
 * }</pre>
 *
 * <p>With {@code --runner flink}, {@link #options} fails early with a clear message when no cluster
 * answers at {@code --flink-master}, and stages the job jar ({@link JobJar}); {@link #run} prints
 * the Flink job id and web UI page and turns a failed job into its root cause.
 */
public final class RunnerMixin {

  /** Where a pipeline runs. */
  public enum Runner {
    /** Beam's Direct runner, in this JVM. */
    DIRECT,
    /** An embedded Flink mini-cluster in this JVM ({@code --flinkMaster=[local]}). */
    FLINK_LOCAL,
    /** A running Flink cluster at {@code --flink-master}. */
    FLINK
  }

  /** The command this mixin is part of: names the job (gz-ingest-...) on the cluster and web UI. */
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(
      names = "--runner",
      defaultValue = "direct",
      converter = RunnerConverter.class,
      description = "direct (default), flink-local (embedded Flink) or flink (a cluster at --flink-master).")
  Runner runner;

  @Option(
      names = "--flink-master",
      defaultValue = "127.0.0.1:8081",
      description = "host:port of the Flink JobManager's REST endpoint, with --runner flink (default ${DEFAULT-VALUE}).")
  String flinkMaster;

  @Option(
      names = "--parallelism",
      description = "Workers (Direct runner threads or Flink parallelism); default: the number of cores,"
          + " or with --runner flink the cluster's task slots.")
  Integer parallelism;

  /** Builds options of the given typed interface with the runner chosen on the command line. */
  public <T extends PipelineOptions> T options(Class<T> type) {
    int workers = parallelism != null ? parallelism : Runtime.getRuntime().availableProcessors();
    PipelineOptions options = PipelineOptionsFactory.create();
    switch (runner) {
      case DIRECT -> {
        options.setRunner(DirectRunner.class);
        options.as(org.apache.beam.runners.direct.DirectOptions.class).setTargetParallelism(workers);
      }
      case FLINK_LOCAL, FLINK -> {
        FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
        flink.setRunner(FlinkRunner.class);
        flink.setFlinkMaster(runner == Runner.FLINK_LOCAL ? "[local]" : flinkMaster);
        flink.setParallelism(workers);
        // Skip the defensive copy of every element between chained operators: the project's
        // DoFns never mutate their inputs (the Direct runner's immutability check in the tests
        // proves it), and the copies of decoded images cost CPU and garbage.
        flink.setFasterCopy(true);
        if (runner == Runner.FLINK) {
          configureCluster(flink);
        }
      }
    }
    org.gzpipelines.ingest.Ingest.tuneDirectRunner(options);
    return options.as(type);
  }

  /** Checks the cluster at --flink-master, and sets parallelism, the staged jars and the job name. */
  private void configureCluster(FlinkPipelineOptions flink) {
    FlinkRestClient.Overview cluster = cluster().checkReachable();
    if (parallelism == null) {
      flink.setParallelism(cluster.slotsTotal());
    } else if (parallelism > cluster.slotsTotal()) {
      System.err.printf("gz: --parallelism %d is more than the %d task slots of the cluster at %s; the job will"
          + " wait for slots and fail after Flink's slot request timeout. Use --parallelism %d or add TaskManagers.%n",
          parallelism, cluster.slotsTotal(), flinkMaster, cluster.slotsTotal());
    }
    flink.setFilesToStage(JobJar.filesToStage());
    // A unique name set now (Beam's default is computed lazily, differently by two threads): run()
    // finds the Flink job by it, and users find "gz-ingest-..." in the web UI.
    flink.setJobName(String.format("gz-%s-%s-%04x", command != null ? command.name() : "pipeline",
        LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")),
        ThreadLocalRandom.current().nextInt(0x10000)));
  }

  /**
   * Runs a pipeline built on {@link #options} to completion and returns its result; on a Flink
   * cluster also reports the job id and web UI, and turns a failure into Flink's root cause.
   */
  public PipelineResult run(Pipeline pipeline) {
    if (runner == Runner.FLINK) {
      return cluster().run(pipeline);
    }
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    return result;
  }

  private FlinkClusterRun cluster() {
    return new FlinkClusterRun(FlinkRestClient.forMaster(flinkMaster), System.err);
  }

  /** These flags as command-line arguments, to hand the same runner on to another command. */
  public java.util.List<String> args() {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
        "--runner", runner.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), "--flink-master", flinkMaster));
    if (parallelism != null) {
      args.add("--parallelism");
      args.add(parallelism.toString());
    }
    return args;
  }

  /** Accepts {@code flink-local} as well as {@code FLINK_LOCAL}. */
  static final class RunnerConverter implements picocli.CommandLine.ITypeConverter<Runner> {
    @Override
    public Runner convert(String value) {
      return Runner.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }
  }
}
