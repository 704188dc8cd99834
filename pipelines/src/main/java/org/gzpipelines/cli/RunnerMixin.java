package org.gzpipelines.cli;

import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Option;

/**
 * The runner flags every pipeline command shares, turned into Beam's typed {@link
 * PipelineOptions}: the Direct runner on this machine, an embedded Flink mini-cluster, or a real
 * Flink cluster.
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
      description = "Workers (Direct runner threads or Flink parallelism); default: the number of cores.")
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
      }
    }
    return options.as(type);
  }

  /** Accepts {@code flink-local} as well as {@code FLINK_LOCAL}. */
  static final class RunnerConverter implements picocli.CommandLine.ITypeConverter<Runner> {
    @Override
    public Runner convert(String value) {
      return Runner.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }
  }
}
