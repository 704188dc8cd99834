package org.gzpipelines.tracking;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Optional;

/**
 * The process that owns something left on disk, a run (its {@code meta.json}) or ingest's staging
 * folder (its {@code owner.json}): enough to tell later, on the same host, whether that process is
 * gone (killed with -9, out of memory, the machine rebooted), so that a run still marked RUNNING
 * can be closed and a half-written folder removed. The start time guards against the PID having
 * been reused by another process since.
 *
 * @param pid the process id
 * @param host the host name ({@link Provenance#HOST})
 * @param processStart the process's start time, epoch milliseconds (0 if the OS does not say)
 */
public record ProcessOwner(long pid, String host, long processStart) {

  /** Start times read at different moments differ by rounding (clock ticks); a reused PID differs by far more. */
  private static final long START_TOLERANCE_MS = 1_000;

  /** This process. */
  public static ProcessOwner current() {
    ProcessHandle self = ProcessHandle.current();
    return new ProcessOwner(self.pid(), Provenance.hostName(), startOf(self));
  }

  /**
   * True only when this process can tell for sure: the owner ran on this host and no process with
   * its PID and start time exists any more. A run owned by another host is never judged.
   */
  @JsonIgnore
  public boolean isGone() {
    if (!Provenance.hostName().equals(host)) {
      return false;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) {
      return true;
    }
    long start = startOf(process.get());
    return processStart != 0 && start != 0 && Math.abs(start - processStart) > START_TOLERANCE_MS;
  }

  @Override
  public String toString() {
    return "process " + pid + " on " + host;
  }

  private static long startOf(ProcessHandle p) {
    return p.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
  }
}
