package org.gzpipelines.cli;

import java.time.Duration;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.run.PipelineRunner;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

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

  /** The command using these flags: whether --flink-master was given on its command line. */
  @Spec(Spec.Target.MIXEE) CommandSpec command;

  public PipelineRunner runner() {
    if (parallelism != null && parallelism < 1) {
      throw new UserError("--parallelism must be at least 1, not " + parallelism + " (leave it out for every core,"
          + " or with --runner flink every task slot of the cluster)");
    }
    if (kind != PipelineRunner.Kind.FLINK && given("--flink-master")) {
      // Ignored silently, the stage ran here while its user watched the cluster's web UI.
      throw new UserError("--flink-master " + flinkMaster + " is for --runner flink, and this command runs on --runner "
          + kind.flag() + ": add --runner flink to run on that cluster, or leave --flink-master out");
    }
    if (slotTimeoutSeconds <= 0) {
      throw new UserError("--flink-slot-timeout (or GZ_FLINK_SLOT_TIMEOUT) must be a positive number of seconds, not "
          + slotTimeoutSeconds);
    }
    return new PipelineRunner(kind, flinkMaster, parallelism, false, Duration.ofSeconds(slotTimeoutSeconds));
  }

  private boolean given(String option) {
    ParseResult parsed = command == null ? null : command.commandLine().getParseResult();
    return parsed != null && parsed.hasMatchedOption(option);
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
