package org.gzpipelines.tracking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.gzpipelines.files.FileTrees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs left RUNNING by a process that died without ending them (kill -9, out of memory, a
 * reboot). Each started run leaves an empty marker file {@code <runs dir>/.<run id>.open} until
 * it ends, so a later command finds such runs from one listing of the runs directory instead of
 * reading every run's {@code meta.json}. A run whose owner ({@link ProcessOwner}) is gone is ended
 * KILLED, with its last logged metric's time (else its start time) as its end time: the last
 * moment it is known to have been alive.
 */
final class AbandonedRuns {
  /** The key of {@code meta.json}'s {@code localValues} naming the folder a run creates ({@link TrackedRun#createsOutput}). */
  static final String UNFINISHED_OUTPUT = "gz.unfinished_output";

  private static final Pattern MARKER = Pattern.compile("\\.(\\w+)\\.open");
  private static final Logger LOG = LoggerFactory.getLogger(AbandonedRuns.class);

  private AbandonedRuns() {}

  static void opened(Path runsDir, String runId) {
    try {
      Files.write(marker(runsDir, runId), new byte[0]);
    } catch (IOException e) {
      throw new TrackingException("cannot write " + marker(runsDir, runId) + ": " + e, e);
    }
  }

  static void closed(Path runsDir, String runId) {
    try {
      Files.deleteIfExists(marker(runsDir, runId));
    } catch (IOException e) {
      LOG.debug("cannot remove the open-run marker of {}: {}", runId, e.toString());
    }
  }

  private static Path marker(Path runsDir, String runId) {
    return runsDir.resolve("." + runId + ".open");
  }

  /** Ends every abandoned run under {@code runsDir} KILLED locally; returns their folders. */
  static List<LocalRunFolder> closeAll(Path runsDir) {
    if (!Files.isDirectory(runsDir)) {
      return List.of();
    }
    List<String> open = new ArrayList<>();
    try (Stream<Path> list = Files.list(runsDir)) {
      list.map(p -> MARKER.matcher(p.getFileName().toString())).filter(Matcher::matches).forEach(m -> open.add(m.group(1)));
    } catch (IOException e) {
      LOG.warn("cannot list {}: {}", runsDir, e.toString());
      return List.of();
    }
    List<LocalRunFolder> closed = new ArrayList<>();
    for (String runId : open) {
      Path dir = runsDir.resolve(runId);
      if (!LocalRunFolder.isRunFolder(dir)) {
        closed(runsDir, runId); // the folder was deleted
        continue;
      }
      LocalRunFolder folder = LocalRunFolder.open(dir);
      if (closeIfAbandoned(folder)) {
        closed.add(folder);
      } else if (!"RUNNING".equals(folder.readMeta().status)) {
        closed(runsDir, runId); // ended by a process that could not remove its marker
      }
    }
    return closed;
  }

  /** Ends the folder's run KILLED if it is RUNNING and its owner is gone; true if it did. */
  static boolean closeIfAbandoned(LocalRunFolder folder) {
    RunMeta meta = folder.readMeta();
    if (!"RUNNING".equals(meta.status) || meta.owner == null || !meta.owner.isGone()) {
      return false;
    }
    long end = meta.startTime;
    for (MetricPoint p : folder.readMetrics()) {
      end = Math.max(end, p.timestamp());
    }
    meta.status = RunStatus.KILLED.name();
    meta.endTime = end;
    meta.synced = false;
    folder.writeMeta(meta);
    removeUnfinishedOutput(meta);
    closed(folder.dir().getParent(), meta.runId);
    return true;
  }

  private static void removeUnfinishedOutput(RunMeta meta) {
    String output = meta.localValues.get(UNFINISHED_OUTPUT);
    if (output != null) {
      removeUnfinishedOutput(output, meta.runId);
    }
  }

  /** Removes the folder {@code output} that run {@code runId} created and did not finish. */
  static void removeUnfinishedOutput(String output, String runId) {
    try {
      FileTrees.delete(Path.of(output));
    } catch (IOException e) {
      LOG.warn("cannot remove the unfinished output {} of run {}: {}", output, runId, e.toString());
    }
  }

  /** What a user is told of a run {@link #closeIfAbandoned} ended, and for a training how to continue it. */
  static String notice(LocalRunFolder folder) {
    RunMeta meta = folder.readMeta();
    boolean training = "train".equals(folder.readTags().get("gz.stage"));
    return String.format(Locale.ROOT, "run %s ('%s') was left RUNNING by %s, which is gone; marked KILLED at its last logged point"
        + " (%s)%s", meta.runId, meta.runName, meta.owner, Instant.ofEpochMilli(meta.endTime),
        training ? "; continue its training from its last checkpoint with: gz train --resume " + meta.runId : "")
        + (meta.localValues.containsKey(UNFINISHED_OUTPUT) ? "; removed its unfinished output "
            + meta.localValues.get(UNFINISHED_OUTPUT) : "");
  }
}
