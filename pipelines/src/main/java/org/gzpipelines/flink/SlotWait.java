package org.gzpipelines.flink;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Bounds how long a job's tasks may wait for task slots. A task waiting for a slot is SCHEDULED;
 * when TaskManagers are gone for good, Flink keeps it so until its slot request timeout (5
 * minutes, then a restart that waits again) and the user sees nothing. Once tasks have been
 * SCHEDULED without a break for longer than the limit, {@link #check} returns the message to
 * cancel the job with, naming the TaskManagers that were there when the job started and are gone.
 */
final class SlotWait {

  private final FlinkRestClient rest;
  private final Duration limit;
  private final List<String> taskManagersAtStart;
  private Instant waitingSince;

  SlotWait(FlinkRestClient rest, Duration limit, List<String> taskManagersAtStart) {
    this.rest = rest;
    this.limit = limit;
    this.taskManagersAtStart = taskManagersAtStart;
  }

  /** Looks at the job now: a message once its tasks have waited for slots longer than the limit. */
  Optional<String> check(String jobId) throws IOException {
    int waiting = rest.taskStates(jobId).getOrDefault("SCHEDULED", 0);
    if (waiting == 0) {
      waitingSince = null;
      return Optional.empty();
    }
    Instant now = Instant.now();
    if (waitingSince == null) {
      waitingSince = now;
    }
    return Duration.between(waitingSince, now).compareTo(limit) < 0 ? Optional.empty() : Optional.of(message(jobId, waiting));
  }

  private String message(String jobId, int waiting) throws IOException {
    List<String> now = rest.taskManagerIds();
    List<String> missing = taskManagersAtStart.stream().filter(id -> !now.contains(id)).toList();
    FlinkRestClient.Overview cluster = rest.overview();
    return "Flink job " + jobId + " waited " + limit.toSeconds() + " s for task slots it cannot get: " + waiting
        + " task(s) need one, and the cluster has " + cluster.slotsAvailable() + " free of " + cluster.slotsTotal()
        + " slot(s) on " + cluster.taskManagers() + " TaskManager(s); "
        + (missing.isEmpty()
            ? "no TaskManager went away since the job started, so the job asks for more slots than the cluster has"
            : "TaskManager(s) gone since the job started: " + String.join(", ", missing))
        + ". The job was cancelled. Start TaskManagers (infra/flink/start.sh --taskmanagers N) or lower --parallelism;"
        + " the wait is bounded by --flink-slot-timeout (or GZ_FLINK_SLOT_TIMEOUT), in seconds.";
  }
}
