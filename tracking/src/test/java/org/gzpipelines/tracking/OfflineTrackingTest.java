package org.gzpipelines.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tracking with no server: everything lands in the local run folder. */
class OfflineTrackingTest {
  @TempDir Path tmp;

  @Test
  void offlineRunWritesACompleteLocalFolder() throws Exception {
    Path runs = tmp.resolve("runs");
    Path artifact = Files.writeString(tmp.resolve("report.txt"), "rmse 0.1\n");
    Path plots = Files.createDirectories(tmp.resolve("plots"));
    Files.write(plots.resolve("a.bin"), new byte[] {1, 2, 3});
    Files.createDirectories(plots.resolve("sub"));
    Files.writeString(plots.resolve("sub/b.txt"), "b");

    String childId;
    Path dir;
    try (Tracking tracking = Tracking.offline(runs)) {
      assertTrue(tracking.destination().startsWith("offline in " + runs)
          && tracking.destination().contains("gz sync"), "the console says where runs go and how to upload them");
      TrackedRun run = tracking.startRun("exp", "parent");
      run.logParams(Map.of("lr", "0.001", "model", "cnn"));
      for (int step = 0; step < 2500; step++) {
        run.logMetric("train/loss", 1.0 / (step + 1), step * 64L);
      }
      run.setTag("stage", "train");
      run.logArtifact(artifact, "");
      run.logArtifact(plots, "figures");
      try (TrackedRun child = run.startChild("fold-1")) {
        child.logMetric("val/rmse", 0.2, 1);
        childId = child.runId();
      }
      run.end(RunStatus.FINISHED);
      dir = run.localDir();
      assertEquals(runs.toAbsolutePath().resolve(run.runId()), dir);
      assertEquals(32, run.runId().length());
      assertThrows(IllegalStateException.class, () -> run.logMetric("x", 1, 1));
      assertThrows(IllegalArgumentException.class, () -> tracking.startRun("exp", "p").logParam("a,b", "1"));

      LocalRunFolder folder = LocalRunFolder.open(dir);
      RunMeta meta = folder.readMeta();
      assertEquals("exp", meta.experimentName);
      assertEquals("parent", meta.runName);
      assertEquals("FINISHED", meta.status);
      assertTrue(meta.endTime >= meta.startTime);
      assertFalse(meta.synced);
      assertNull(meta.serverRunId);
      assertEquals(Map.of("lr", "0.001", "model", "cnn"), folder.readParams());
      assertEquals("train", folder.readTags().get("stage"));
      assertTrue(folder.readTags().containsKey(Provenance.GIT_COMMIT));
      List<MetricPoint> points = folder.readMetrics();
      assertEquals(2500, points.size());
      assertEquals(64L * 2499, points.get(2499).step());
      assertEquals(1.0 / 2500, points.get(2499).value());
      assertEquals(
          List.of("figures/plots/a.bin", "figures/plots/sub/b.txt", "report.txt"), folder.artifactPaths());
      assertEquals("rmse 0.1\n", Files.readString(folder.artifactFile("report.txt")));
      assertEquals(points.stream().filter(p -> p.key().equals("train/loss")).toList(),
          tracking.metricHistory(run.runId(), "train/loss"));

      RunMeta childMeta = LocalRunFolder.open(runs.resolve(childId)).readMeta();
      assertEquals(run.runId(), childMeta.parentRunId);
      assertEquals("FINISHED", childMeta.status);
    }
  }

  /** gz runs offline: the run folders, newest first, of one experiment or all; a filter needs a server. */
  @Test
  void theNewestRunsAreListedFromTheRunFolders() throws Exception {
    try (Tracking tracking = Tracking.offline(tmp.resolve("runs"))) {
      List<String> started = new java.util.ArrayList<>();
      for (String experiment : List.of("a", "b", "a")) {
        TrackedRun run = tracking.startRun(experiment, "run in " + experiment);
        run.setTag("gz.stage", "train");
        run.logMetric("val_rmse", 0.2, 10);
        run.end(RunStatus.FINISHED);
        started.add(run.runId());
        Thread.sleep(5); // distinct start times
      }
      List<Tracking.ListedRun> all = tracking.latestRuns(null, "", 10);
      assertEquals(List.of(started.get(2), started.get(1), started.get(0)), all.stream().map(r -> r.run().runId()).toList());
      assertEquals("a", all.get(0).experiment());
      assertEquals(0.2, all.get(0).run().latestMetrics().get("val_rmse"));
      assertEquals("train", all.get(0).run().tags().get("gz.stage"));
      assertEquals(List.of(started.get(2)), tracking.latestRuns("a", "", 1).stream().map(r -> r.run().runId()).toList());
      assertEquals(List.of(), tracking.latestRuns("c", "", 10));
      TrackingException filter = assertThrows(TrackingException.class, () -> tracking.latestRuns(null, "metrics.x > 1", 10));
      assertTrue(filter.getMessage().contains("needs a tracking server") && filter.getMessage().contains(
          "without --filter, gz runs lists the runs tracked offline in " + tmp.resolve("runs")), filter.getMessage());
    }
  }

  @Test
  void paramsCannotChangeAndLargeArtifactsAreRefused() throws Exception {
    try (Tracking tracking = Tracking.offline(tmp.resolve("runs")).maxArtifactBytes(10);
        TrackedRun run = tracking.startRun("exp", "r")) {
      run.logParam("lr", "0.1");
      run.logParam("lr", "0.1"); // same value: fine
      IllegalArgumentException changed = assertThrows(IllegalArgumentException.class, () -> run.logParam("lr", "0.2"));
      assertTrue(changed.getMessage().contains("cannot change"), changed.getMessage());
      Path big = Files.write(tmp.resolve("big.bin"), new byte[11]);
      TrackingException tooLarge = assertThrows(TrackingException.class, () -> run.logArtifact(big, ""));
      assertTrue(tooLarge.getMessage().contains("big.bin") && tooLarge.getMessage().contains(Tracking.MAX_ARTIFACT_MB_ENV),
          tooLarge.getMessage());
    }
  }

  @Test
  void absolutePathsAreSharedRelativeOrByNameAndKeptOnlyInMetaJson() {
    Path outside = tmp.resolve("data/gz2").toAbsolutePath();
    Path inside = Path.of("target/gz2").toAbsolutePath(); // under the working folder (the module)
    Provenance.setCommandLine("gz train --data " + outside + " --config=" + inside.resolve("x.yaml")
        + " --tracking-uri http://me:tok3n@host:5000");
    try (Tracking tracking = Tracking.offline(tmp.resolve("runs"))) {
      TrackedRun run = tracking.startRun("exp", "paths");
      run.logParams(Map.of("train.data", outside.toString(), "ingest.out", inside.toString(), "lr", "0.1",
          "evaluate.data", "demo/data"));
      run.setTag(Provenance.CONFIG_PATH, inside.resolve("x.yaml").toString());
      run.end(RunStatus.FINISHED);

      LocalRunFolder folder = LocalRunFolder.open(run.localDir());
      assertEquals(Map.of("train.data", ".../gz2", "ingest.out", "target/gz2", "lr", "0.1", "evaluate.data", "demo/data"),
          folder.readParams());
      assertEquals("target/gz2/x.yaml", folder.readTags().get(Provenance.CONFIG_PATH));
      assertEquals("gz train --data .../gz2 --config=target/gz2/x.yaml --tracking-uri http://host:5000",
          folder.readTags().get(Provenance.COMMAND));
      assertEquals("gz train", folder.readTags().get("mlflow.source.name"), "the runs table's Source: the verb");
      RunMeta meta = folder.readMeta();
      assertEquals(outside.toString(), meta.localValues.get("params.train.data"));
      assertEquals(inside.toString(), meta.localValues.get("params.ingest.out"));
      assertEquals("gz train --data " + outside + " --config=" + inside.resolve("x.yaml")
          + " --tracking-uri http://host:5000", meta.localValues.get("tags." + Provenance.COMMAND),
          "the local record keeps the paths, never the credentials");
      assertFalse(meta.localValues.containsKey("params.lr"));
      // Found again from any folder: a kept real path, or a relative one from the folder the run ran in.
      assertEquals(Optional.of(outside), SharedPaths.localPath(run.localDir(), "train.data"));
      assertEquals(Optional.of(Path.of("").toAbsolutePath().resolve("demo/data")),
          SharedPaths.localPath(run.localDir(), "evaluate.data"));
    } finally {
      Provenance.setCommandLine(null);
    }
  }

  @Test
  void badTrackingUrisAreExplained() {
    TrackingException file = assertThrows(TrackingException.class, () -> Tracking.connect("file:///tmp/mlruns", tmp));
    assertTrue(file.getMessage().contains("not an http(s) URL"), file.getMessage());
    assertTrue(file.getMessage().contains("infra/mlflow/start.sh"), file.getMessage());
    TrackingException noHost = assertThrows(TrackingException.class, () -> Tracking.connect("http://", tmp));
    assertTrue(noHost.getMessage().contains("infra/mlflow/start.sh"), noHost.getMessage());
  }

  @Test
  void aStageRunStartsUnderAnEndedRunAndRunsReadBackOffline() {
    Path runs = tmp.resolve("runs");
    String trainId;
    try (Tracking tracking = Tracking.offline(runs)) {
      TrackedRun train = tracking.startRun("exp", "train");
      train.logParam("model.parameters", "1234");
      train.logMetric("val_rmse", 0.2, 100);
      train.logMetric("val_rmse", 0.1, 200);
      train.end(RunStatus.FINISHED);
      trainId = train.runId();
    }
    try (Tracking tracking = Tracking.offline(runs)) {
      TrackedRun evaluate = tracking.startChildOf(trainId, "evaluate");
      evaluate.end(RunStatus.FINISHED);
      RunMeta meta = LocalRunFolder.open(evaluate.localDir()).readMeta();
      assertEquals(trainId, meta.parentRunId);
      assertEquals("exp", meta.experimentName);
      RunSummary summary = tracking.getRun(trainId);
      assertEquals("train", summary.runName());
      assertEquals("FINISHED", summary.status());
      assertEquals("1234", summary.params().get("model.parameters"));
      assertEquals(0.1, summary.latestMetrics().get("val_rmse"));
      assertThrows(TrackingException.class, () -> tracking.startChildOf("no-such-run", "evaluate"));
      assertThrows(TrackingException.class, () -> tracking.getRun("no-such-run"));
    }
  }
}
