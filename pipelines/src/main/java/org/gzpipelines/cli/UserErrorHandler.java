package org.gzpipelines.cli;

import org.gzpipelines.errors.UserError;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into messages: a {@link UserError} (or {@link IllegalArgumentException}) is
 * printed alone; anything else gets its cause chain on one screen. Set {@code GZ_DEBUG=1} for the
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
    if (ex instanceof UserError || ex instanceof IllegalArgumentException) {
      cmd.getErr().println(prefix + ex.getMessage());
      return USER_ERROR;
    }
    cmd.getErr().println(prefix + "failed: " + ex);
    for (Throwable c = ex.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      cmd.getErr().println("  caused by: " + c);
    }
    cmd.getErr().println("  (set GZ_DEBUG=1 for the full stack trace)");
    return 1;
  }
}
