package org.gzpipelines.cli;

import org.gzpipelines.errors.UserError;
import org.gzpipelines.run.StageStopped;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into messages: a {@link UserError} (or {@link IllegalArgumentException}) is
 * printed alone, as is a {@link StageStopped} (with its signal's exit code); anything else gets its cause chain on one screen. Set {@code GZ_DEBUG=1} for the
 * full stack trace.
 */
final class UserErrorHandler implements IExecutionExceptionHandler {

  /** Exit code for errors the user can fix. */
  static final int USER_ERROR = 2;

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    if (System.getenv("GZ_DEBUG") != null) {
      ex.printStackTrace(cmd.getErr());
    }
    String prefix = cmd.getColorScheme().errorText("gz " + cmd.getCommandName() + ": ").toString();
    if (ex instanceof StageStopped stopped) {
      cmd.getErr().println(prefix + stopped.getMessage());
      return stopped.exitCode();
    }
    if (ex instanceof UserError || ex instanceof IllegalArgumentException) {
      cmd.getErr().println(prefix + ex.getMessage());
      return USER_ERROR;
    }
    // A user error raised inside a pipeline reaches here wrapped by the runner (UserCodeException,
    // a cache's UncheckedExecutionException): its message is what the user needs, alone.
    for (Throwable c = ex.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c instanceof UserError) {
        cmd.getErr().println(prefix + c.getMessage());
        return USER_ERROR;
      }
    }
    cmd.getErr().println(prefix + "failed: " + ex);
    for (Throwable c = ex.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      cmd.getErr().println("  caused by: " + c);
    }
    cmd.getErr().println("  (set GZ_DEBUG=1 for the full stack trace)");
    return 1;
  }
}
