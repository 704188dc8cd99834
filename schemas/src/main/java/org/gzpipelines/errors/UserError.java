package org.gzpipelines.errors;

/**
 * A problem the user can fix (bad input, a wrong flag, a missing file): printed as one clear
 * message naming the file or row and the fix, without a stack trace.
 */
public class UserError extends RuntimeException {
  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
