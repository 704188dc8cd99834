package org.gzpipelines.run;

/**
 * A stage stopped at a safe point because Ctrl-C or SIGTERM asked it to ({@link StopSignals}):
 * not a failure. {@link StageContext} ends the stage's run KILLED; the command line prints the
 * message (what was stopped, how to continue) and exits 130 (SIGINT) or 143 (SIGTERM), as a
 * program killed by that signal does.
 */
public final class StageStopped extends RuntimeException {

  private final String signal;
  private final String continueWith;

  /**
   * @param what what stopped, e.g. "training stopped after 3,200 images with a checkpoint"
   * @param continueWith the command that continues, or null for "run the same command again"
   */
  public StageStopped(String what, String continueWith) {
    super(what);
    this.signal = StopSignals.requested().orElse("SIGINT");
    this.continueWith = continueWith;
  }

  /** The same stop, continued by another command (null: the same command again). */
  public StageStopped continuedBy(String command) {
    return new StageStopped(super.getMessage(), command);
  }

  /** 128 + the signal's number, as shells report a program ended by a signal. */
  public int exitCode() {
    return "SIGTERM".equals(signal) ? 143 : 130;
  }

  @Override
  public String getMessage() {
    return "stopped by " + signal + ": " + super.getMessage() + "; "
        + (continueWith != null ? "continue with: " + continueWith : "to continue, run the same command again");
  }
}
