package org.gzpipelines.tracking;

/**
 * Measures how many metric points per second a run sustains: logs {@code points} points spread
 * over {@code keys} metrics and ends the run, so the time includes the last batch and the end
 * request; then checks the server holds every point. Run it with {@code gz bench tracking}.
 */
public final class TrackingBenchmark {

  /** One measurement. {@code pointsOnServer} is -1 for an offline run. */
  public record Result(String mode, int points, double seconds, long pointsOnServer) {
    public double pointsPerSecond() {
      return points / seconds;
    }

    @Override
    public String toString() {
      return String.format(
          "%s: %d metric points in %.2f s = %,.0f points/s%s",
          mode, points, seconds, pointsPerSecond(), pointsOnServer < 0 ? "" : " (server holds " + pointsOnServer + ")");
    }
  }

  private TrackingBenchmark() {}

  public static Result run(Tracking tracking, int points, int keys) {
    long start = System.nanoTime();
    String runId;
    try (TrackedRun run = tracking.startRun("gz-bench-tracking", "bench-" + points)) {
      runId = run.runId();
      for (int i = 0; i < points; i++) {
        run.logMetric("bench/metric" + (i % keys), Math.sin(i), i / keys);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long onServer = -1;
    String mode = "offline (local run folder only)";
    if (tracking.trackingUri().isPresent()) {
      mode = "server " + tracking.trackingUri().get() + " (batched)";
      onServer = 0;
      for (int k = 0; k < keys; k++) {
        onServer += tracking.metricHistory(runId, "bench/metric" + k).size();
      }
    }
    return new Result(mode, points, seconds, onServer);
  }
}
