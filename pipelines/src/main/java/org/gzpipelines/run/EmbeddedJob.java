package org.gzpipelines.run;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.gzpipelines.flink.FlinkRestClient;

/**
 * The job a {@code --runner flink-local} pipeline runs on its embedded mini-cluster, cancelled by
 * name through the mini-cluster's REST endpoint: Beam's {@code run()} holds the job until it ends
 * and returns no handle to cancel, so without this Ctrl-C waited for the whole job.
 */
final class EmbeddedJob {

  /** How long a cancel waits for a job that is not submitted yet (the mini-cluster starting). */
  private static final Duration SUBMISSION = Duration.ofSeconds(60);
  private static final Duration POLL = Duration.ofMillis(200);

  private final List<FlinkRestClient> endpoints;
  private final String name;

  /** The job named {@code name} on whichever of {@code endpoints} (the mini-cluster's REST ports) lists it. */
  EmbeddedJob(List<FlinkRestClient> endpoints, String name) {
    this.endpoints = List.copyOf(endpoints);
    this.name = name;
  }

  /**
   * Cancels the job on a thread of its own, as a stop action must not wait (StopSignals): it waits
   * for the job to appear if Ctrl-C came before its submission.
   */
  void cancel() {
    Thread canceller = new Thread(this::cancelWhenSubmitted, "gz-flink-local-cancel");
    canceller.setDaemon(true);
    canceller.start();
  }

  /** Sends the cancel once the job is listed; stops quietly once it ended or never came (run() returns anyway). */
  private void cancelWhenSubmitted() {
    Instant deadline = Instant.now().plus(SUBMISSION);
    while (Instant.now().isBefore(deadline)) {
      for (FlinkRestClient rest : endpoints) {
        try {
          Optional<FlinkRestClient.Job> job = rest.job(name);
          if (job.isPresent()) {
            if (!isTerminal(job.get().state())) {
              rest.cancel(job.get().id());
            }
            return;
          }
        } catch (IOException e) {
          // Nothing on this port, or the mini-cluster's REST endpoint is not up yet: the next.
        }
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static boolean isTerminal(String state) {
    return state.equals("FINISHED") || state.equals("CANCELED") || state.equals("FAILED");
  }
}
