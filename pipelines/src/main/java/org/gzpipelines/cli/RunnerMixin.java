package org.gzpipelines.cli;

import org.gzpipelines.run.PipelineRunner;
import picocli.CommandLine.Option;

/** The runner flags every pipeline command shares, as a {@link PipelineRunner}. */
public final class RunnerMixin {

  @Option(
      names = "--runner",
      defaultValue = "direct",
      converter = KindConverter.class,
      description = "direct (default), flink-local (embedded Flink) or flink (a cluster at --flink-master).")
  PipelineRunner.Kind kind;

  @Option(
      names = "--flink-master",
      defaultValue = PipelineRunner.DEFAULT_FLINK_MASTER,
      description = "host:port of the Flink JobManager's REST endpoint, with --runner flink (default ${DEFAULT-VALUE}).")
  String flinkMaster;

  @Option(
      names = "--parallelism",
      description = "Workers (Direct runner threads or Flink parallelism); default: the number of cores,"
          + " or with --runner flink the cluster's task slots.")
  Integer parallelism;

  public PipelineRunner runner() {
    return new PipelineRunner(kind, flinkMaster, parallelism, false);
  }

  /** Accepts {@code flink-local} as well as {@code FLINK_LOCAL}. */
  static final class KindConverter implements picocli.CommandLine.ITypeConverter<PipelineRunner.Kind> {
    @Override
    public PipelineRunner.Kind convert(String value) {
      return PipelineRunner.Kind.parse(value);
    }
  }
}
