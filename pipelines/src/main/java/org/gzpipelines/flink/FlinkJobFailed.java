package org.gzpipelines.flink;

/**
 * A pipeline failed on a Flink cluster. The message is the whole report (job id, root cause,
 * where to look); the runner's exception, a dozen wrappers deep, is kept as a suppressed
 * exception for {@code GZ_DEBUG=1} instead of as the cause, so the command line does not print
 * every wrapper.
 */
public final class FlinkJobFailed extends RuntimeException {
  public FlinkJobFailed(String message, Throwable runnerException) {
    super(message);
    addSuppressed(runnerException);
  }

  @Override
  public String toString() {
    return getMessage();
  }
}
