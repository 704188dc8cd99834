package org.gzpipelines.cli;

import java.time.Duration;
import org.gzpipelines.errors.UserError;
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
      defaultValue = "${env:GZ_FLINK_MASTER:-" + PipelineRunner.DEFAULT_FLINK_MASTER + "}",
      description = "host:port of the Flink JobManager's REST endpoint, with --runner flink (default ${DEFAULT-VALUE}:"
          + " $GZ_FLINK_MASTER, else " + PipelineRunner.DEFAULT_FLINK_MASTER + ").")
  String flinkMaster;

  @Option(
      names = "--parallelism",
      description = "Workers (Direct runner threads or Flink parallelism); default: the number of cores,"
          + " or with --runner flink the cluster's task slots.")
  Integer parallelism;

  @Option(
      names = "--flink-slot-timeout",
      paramLabel = "<seconds>",
      defaultValue = "${env:GZ_FLINK_SLOT_TIMEOUT:-120}",
      description = "With --runner flink: cancel a job whose tasks wait this long for task slots (TaskManagers gone),"
          + " naming the missing TaskManagers (default ${DEFAULT-VALUE}: $GZ_FLINK_SLOT_TIMEOUT, else 120).")
  long slotTimeoutSeconds;

  public PipelineRunner runner() {
    if (slotTimeoutSeconds <= 0) {
      throw new UserError("--flink-slot-timeout (or GZ_FLINK_SLOT_TIMEOUT) must be a positive number of seconds, not "
          + slotTimeoutSeconds);
    }
    return new PipelineRunner(kind, flinkMaster, parallelism, false, Duration.ofSeconds(slotTimeoutSeconds));
  }

  /** Accepts {@code flink-local} as well as {@code FLINK_LOCAL}. */
  static final class KindConverter implements picocli.CommandLine.ITypeConverter<PipelineRunner.Kind> {
    @Override
    public PipelineRunner.Kind convert(String value) {
      try {
        return PipelineRunner.Kind.parse(value);
      } catch (IllegalArgumentException e) {
        // Beam users type Beam's class names; say which of ours each one is rather than only refusing.
        throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a runner: give direct"
            + " (Beam's DirectRunner), flink-local (Beam's FlinkRunner on an embedded Flink) or flink (Beam's"
            + " FlinkRunner on the cluster at --flink-master)");
      }
    }
  }
}
