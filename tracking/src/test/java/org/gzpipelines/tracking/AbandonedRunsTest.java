package org.gzpipelines.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The next command finds runs left RUNNING by a process that is gone (a real process that ran
 * and exited) and ends them KILLED at their last logged point; runs of a live process, and of
 * another host, stay RUNNING. A continued run appends after a line torn by the dead process.
 */
class AbandonedRunsTest {
  @TempDir Path runs;

  @Test
  void runsOfAGoneProcessAreEndedKilledAtTheirLastPoint() throws Exception {
    ProcessOwner gone = goneProcess();
    Path dead = folder("dead", gone, 1_000, "loss,0.5,10,5000\nloss,0.4,20,7000\nloss,0.3,3");
    Path alive = folder("alive", ProcessOwner.current(), 1_000, "");
    Path elsewhere = folder("elsewhere", new ProcessOwner(gone.pid(), "another-host", gone.processStart()), 1_000, "");

    LocalRunFolder.open(dead).writeTags(Map.of("gz.stage", "train"));
    try (Tracking tracking = Tracking.offline(runs)) {
      List<String> notices = tracking.closeAbandonedRuns();
      assertEquals(1, notices.size(), notices.toString());
      assertTrue(notices.get(0).startsWith("run dead ('dead') was left RUNNING by process " + gone.pid())
          && notices.get(0).endsWith("continue its training from its last checkpoint with: gz train --resume dead"),
          notices.get(0));

      RunMeta meta = LocalRunFolder.open(dead).readMeta();
      assertEquals("KILLED", meta.status);
      assertEquals(7000, meta.endTime, "the last complete point's time");
      assertFalse(Files.exists(runs.resolve(".dead.open")), "the marker is gone with the run");
      assertEquals("RUNNING", LocalRunFolder.open(alive).readMeta().status);
      assertEquals("RUNNING", LocalRunFolder.open(elsewhere).readMeta().status, "another host's process cannot be judged");

      TrackedRun continued = tracking.reopen(dead);
      continued.logMetric("loss", 0.2, 30);
      continued.end(RunStatus.FINISHED);
      List<MetricPoint> points = tracking.metricHistory("dead", "loss");
      assertEquals(List.of(10L, 20L, 30L), points.stream().map(MetricPoint::step).toList(), "the torn line is dropped");
      assertEquals("FINISHED", LocalRunFolder.open(dead).readMeta().status);
    }
  }

  @Test
  void onlyAnOutputTheRunCreatesIsRecordedAndRemovedOnlyWhenTheRunIsKilled(@TempDir Path work) throws Exception {
    // What a killed run's output removal relies on (the kill itself: PredictTest, with SIGKILL).
    Path existing = Files.createDirectories(work.resolve("mine"));
    try (Tracking tracking = Tracking.offline(runs)) {
      TrackedRun intoExisting = tracking.startRun("exp", "evaluate");
      intoExisting.createsOutput(existing);
      assertFalse(LocalRunFolder.open(intoExisting.localDir()).readMeta().localValues.containsKey(
          AbandonedRuns.UNFINISHED_OUTPUT), "a folder the run did not create is never removed");
      TrackedRun creating = tracking.startRun("exp", "evaluate");
      creating.createsOutput(work.resolve("evaluations/new"));
      assertEquals(work.resolve("evaluations/new").toString(), LocalRunFolder.open(creating.localDir()).readMeta()
          .localValues.get(AbandonedRuns.UNFINISHED_OUTPUT));
      Files.createDirectories(work.resolve("evaluations/new/dead-letter"));
      creating.end(RunStatus.FAILED);
      assertFalse(LocalRunFolder.open(creating.localDir()).readMeta().localValues.containsKey(
          AbandonedRuns.UNFINISHED_OUTPUT), "an ended run's output is what it left (a failed one's dead letters)");
      assertTrue(Files.isDirectory(work.resolve("evaluations/new/dead-letter")));

      // Stopped by Ctrl-C (the stage ends its run KILLED): its half-written output goes, as a dead process's.
      TrackedRun stopped = tracking.startRun("exp", "mergers");
      stopped.createsOutput(work.resolve("mergers/new"));
      Files.createDirectories(work.resolve("mergers/new/val-predictions"));
      stopped.end(RunStatus.KILLED);
      assertFalse(Files.exists(work.resolve("mergers/new")));
      TrackedRun stoppedInExisting = tracking.startRun("exp", "mergers");
      stoppedInExisting.createsOutput(existing);
      stoppedInExisting.end(RunStatus.KILLED);
      assertTrue(Files.isDirectory(existing), "a folder the run did not create stays");
    }
  }

  /** The owner record of a process that has exited. */
  private static ProcessOwner goneProcess() throws Exception {
    Process p = new ProcessBuilder("sleep", "1").start();
    long start = p.info().startInstant().orElseThrow().toEpochMilli();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    return new ProcessOwner(p.pid(), Provenance.hostName(), start);
  }

  /** A run folder as a process leaves it that started the run and never ended it. */
  private Path folder(String runId, ProcessOwner owner, long startTime, String metrics) throws Exception {
    RunMeta meta = new RunMeta();
    meta.runId = runId;
    meta.experimentName = "exp";
    meta.runName = runId;
    meta.startTime = startTime;
    meta.owner = owner;
    LocalRunFolder folder = LocalRunFolder.create(runs, meta);
    Files.writeString(folder.dir().resolve(LocalRunFolder.METRICS), "key,value,step,timestamp\n" + metrics);
    AbandonedRuns.opened(runs, runId);
    return folder.dir();
  }
}
