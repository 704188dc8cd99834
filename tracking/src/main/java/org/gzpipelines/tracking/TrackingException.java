package org.gzpipelines.tracking;

import java.net.URI;

/**
 * Tracking could not do what was asked: the tracking server is unreachable or answered with an
 * error, a run folder is unreadable, an artifact is too large. The message says what to do.
 */
public class TrackingException extends RuntimeException {

  private final boolean unreachable;

  public TrackingException(String message) {
    this(message, null, false);
  }

  public TrackingException(String message, Throwable cause) {
    this(message, cause, false);
  }

  private TrackingException(String message, Throwable cause, boolean unreachable) {
    super(message, cause);
    this.unreachable = unreachable;
  }

  /** How an unreachable server's message ends: what a command that can track offline may do instead. */
  public static final String OFFLINE_HINT =
      ", or unset MLFLOW_TRACKING_URI to track offline (runs stay in local run folders; `gz sync` uploads them later)";

  static TrackingException unreachable(String trackingUri, Throwable cause) {
    return new TrackingException(
        "no MLflow tracking server answers at "
            + trackingUri
            + " ("
            + rootMessage(cause)
            + "): start one with " + startCommand(trackingUri) + OFFLINE_HINT,
        cause,
        true);
  }

  /** The command that starts this project's server at a loopback URI: its port, unless the default. */
  private static String startCommand(String trackingUri) {
    int port = URI.create(trackingUri).getPort();
    return port > 0 && port != 5000 ? "GZ_MLFLOW_PORT=" + port + " infra/mlflow/start.sh" : "infra/mlflow/start.sh";
  }

  /** True when the server could not be reached at all (as opposed to answering with an error). */
  public boolean isUnreachable() {
    return unreachable;
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }
}
