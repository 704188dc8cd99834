package org.gzpipelines.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.gzpipelines.run.PipelineRunner;
import org.gzpipelines.synth.SynthOptions;
import org.gzpipelines.synth.SyntheticDataset;
import org.gzpipelines.testing.GzProcess;
import org.gzpipelines.tracking.MlflowTestServer;
import org.gzpipelines.tracking.Tracking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping work on the real standalone cluster: Ctrl-C on {@code gz ingest --runner flink} (a
 * child JVM, a real SIGINT) cancels the Flink job and leaves no temp folder; a job whose tasks
 * cannot get slots, because a TaskManager is gone for good, is cancelled after the slot timeout
 * with a message naming that TaskManager.
 */
class FlinkStopTest extends FlinkClusterTestBase {

  private static final Pattern RUN_ID = Pattern.compile("gz ingest: run (\\w+) in experiment");

  @Test
  void ctrlCCancelsTheFlinkJob(@TempDir Path tmp) throws Exception {
    SyntheticDataset.Result data = SyntheticDataset.generate(SynthOptions.defaults().withCount(600).withSeed(13), tmp.resolve("synth"));
    Set<String> before = cluster.rest.jobs().stream().map(FlinkRestClient.Job::id).collect(Collectors.toSet());
    String uri = MlflowTestServer.shared();
    Path runs = tmp.resolve("runs");
    Path out = tmp.resolve("out");

    String runId;
    String jobId;
    try (GzProcess ingest = GzProcess.start(tmp, Map.of(Tracking.URI_ENV, uri, Tracking.RUNS_DIR_ENV, runs.toString()),
        "ingest", "--images", data.imagesDir().toString(), "--labels", data.labelsCsv().toString(),
        "--out", out.toString(), "--augment", "3", "--runner", "flink", "--flink-master", cluster.master,
        "--parallelism", "2")) {
      jobId = cluster.awaitRunningJob(j -> !before.contains(j.id()) && j.name().startsWith("gz-ingest-"), 2,
          Duration.ofMinutes(3));
      ingest.signal("INT");
      assertEquals(130, ingest.waitFor(Duration.ofMinutes(2)), ingest.output());
      assertTrue(ingest.output().contains("cancelling Flink job " + jobId), ingest.output());
      Matcher m = RUN_ID.matcher(ingest.output());
      assertTrue(m.find(), ingest.output());
      runId = m.group(1);
    }
    assertEquals("CANCELED", jobState(jobId));
    try (Tracking server = Tracking.connect(uri, runs)) {
      assertEquals("KILLED", server.getRun(runId).status());
    }
    try (Stream<Path> left = Files.list(tmp)) {
      List<Path> temp = left.filter(p -> p.getFileName().toString().startsWith(".out.tmp-")).toList();
      assertTrue(temp.isEmpty(), "temp output folders left: " + temp);
    }
    assertFalse(Files.exists(out), "no output from a cancelled ingest");
  }

  @Test
  void aJobWaitingForSlotsOfAGoneTaskManagerIsCancelled(@TempDir Path out) throws Exception {
    PipelineRunner runner = new PipelineRunner(PipelineRunner.Kind.FLINK, cluster.master, 2, false, Duration.ofSeconds(10));
    FlinkPipelineOptions options = runner.options("test").as(FlinkPipelineOptions.class);
    List<String> files = new ArrayList<>();
    files.add(Path.of(FlinkStopTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
    files.addAll(options.getFilesToStage());
    options.setFilesToStage(files);
    Pipeline p = Pipeline.create(options);
    p.apply(Create.of(IntStream.range(0, 3_000).boxed().toList()))
        .apply(Reshuffle.viaRandomKey())
        .apply("SlowWork", MapElements.via(new FlinkFaultToleranceTest.SlowToString()))
        .apply(TextIO.write().to(out.resolve("part").toString()).withSuffix(".txt").withNumShards(2));
    String goneTaskManager = Files.readString(cluster.home.resolve("run/taskmanager-1.id")).trim();

    try {
      Thread killer = new Thread(() -> {
        try {
          cluster.awaitRunningJob(j -> j.name().equals(options.getJobName()), 2, Duration.ofMinutes(2));
          cluster.killTaskManager(1); // and not brought back
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      killer.start();
      FlinkJobFailed failed = assertThrows(FlinkJobFailed.class, () -> runner.run(p));
      killer.join();
      assertTrue(failed.getMessage().contains("waited 10 s for task slots"), failed.getMessage());
      assertTrue(failed.getMessage().contains("TaskManager(s) gone since the job started: " + goneTaskManager),
          failed.getMessage());
      String jobId = cluster.rest.jobs().stream().filter(j -> j.name().equals(options.getJobName())).findFirst()
          .orElseThrow().id();
      assertEquals("CANCELED", jobState(jobId));
    } finally {
      cluster.start(); // bring TaskManager 1 back for the other tests
    }
  }

  /** The job's final state, once it has one (cancelling takes a moment). */
  private static String jobState(String jobId) throws Exception {
    for (int i = 0; i < 300; i++) {
      for (FlinkRestClient.Job j : cluster.rest.jobs()) {
        if (j.id().equals(jobId) && Set.of("CANCELED", "FAILED", "FINISHED").contains(j.state())) {
          return j.state();
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("job " + jobId + " did not end within 30 s");
  }
}
