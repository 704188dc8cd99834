package org.gzpipelines.flink;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.gzpipelines.run.PipelineRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster stopped under a running job (stop.sh, every Flink process gone): the stage fails within
 * seconds of the JobManager's port closing, saying the cluster no longer answers and how to go on,
 * where Beam's runner alone kept asking for the job's result for about a minute. A cluster of its
 * own, since this test stops it.
 */
class FlinkClusterLostTest {

  @Test
  void aClusterStoppedUnderAJobFailsTheStageWithinSeconds(@TempDir Path out) throws Exception {
    FlinkTestCluster cluster = FlinkTestCluster.startPrivate("flink-lost", "--taskmanagers", "1");
    try {
      PipelineRunner runner = new PipelineRunner(PipelineRunner.Kind.FLINK, cluster.master, 1, false);
      FlinkPipelineOptions options = runner.options("test").as(FlinkPipelineOptions.class);
      FlinkTestCluster.get().jobJar();
      List<String> files = new ArrayList<>(options.getFilesToStage());
      files.add(Path.of(FlinkClusterLostTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
      options.setFilesToStage(files);
      Pipeline p = Pipeline.create(options);
      p.apply(Create.of(IntStream.range(0, 6_000).boxed().toList())) // a minute of SlowToString
          .apply(Reshuffle.viaRandomKey())
          .apply("SlowWork", MapElements.via(new FlinkFaultToleranceTest.SlowToString()))
          .apply(TextIO.write().to(out.resolve("part").toString()).withSuffix(".txt").withNumShards(1));

      Instant[] stopped = new Instant[1];
      Thread stopper = new Thread(() -> {
        try {
          cluster.awaitRunningJob(j -> j.name().equals(options.getJobName()), 1, Duration.ofMinutes(2));
          cluster.stop();
          stopped[0] = Instant.now();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      stopper.start();
      FlinkJobFailed failed = assertThrows(FlinkJobFailed.class, () -> runner.run(p));
      Instant failedAt = Instant.now();
      stopper.join();

      assertTrue(failed.getMessage().contains("no longer answers: start it again with infra/flink/start.sh, then run"
          + " the same command again"), failed.getMessage());
      Duration after = Duration.between(stopped[0], failedAt);
      // LOST_AFTER (10 s) of refused connections, polled every 0.5 s. Beam's runner alone failed the stage
      // 50-60 s after the stop (this test with LOST_AFTER set to 600 s: 79 s in all).
      assertTrue(after.compareTo(Duration.ofSeconds(25)) < 0, "failed " + after + " after the stop");
    } finally {
      cluster.stop();
    }
  }
}
