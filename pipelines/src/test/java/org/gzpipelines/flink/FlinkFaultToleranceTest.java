package org.gzpipelines.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.gzpipelines.run.PipelineRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TaskManager dies (SIGKILL by its PID) while a batch job runs on it: the cluster's restart
 * strategy restarts the job once infra/flink/start.sh has brought a TaskManager back, and the output
 * is complete, with no record lost and none duplicated.
 */
class FlinkFaultToleranceTest extends FlinkClusterTestBase {

  /** Elements, and the per-element work: with 2 slots the job runs ~15 s before any failure. */
  private static final int ELEMENTS = 3_000;
  private static final long MILLIS_PER_ELEMENT = 10;

  @Test
  void aJobSurvivesAKilledTaskManagerWithCompleteOutput(@TempDir Path out) throws Exception {
    PipelineRunner runner = new PipelineRunner(PipelineRunner.Kind.FLINK, cluster.master, 2, false);
    FlinkPipelineOptions options = runner.options("test").as(FlinkPipelineOptions.class);
    List<String> files = new ArrayList<>();
    files.add(Path.of(FlinkFaultToleranceTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
    files.addAll(options.getFilesToStage());
    options.setFilesToStage(files);

    Pipeline p = Pipeline.create(options);
    p.apply(Create.of(IntStream.range(0, ELEMENTS).boxed().toList()))
        .apply(Reshuffle.viaRandomKey()) // spread the work over both TaskManagers
        .apply("SlowWork", MapElements.via(new SlowToString()))
        .apply(TextIO.write().to(out.resolve("part").toString()).withSuffix(".txt").withNumShards(4));
    ByteArrayOutputStream told = new ByteArrayOutputStream(); // what gz prints of the job, on stderr
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(told, true, StandardCharsets.UTF_8));
    String jobId;
    PipelineResult result;
    try {
      CompletableFuture<PipelineResult> job = CompletableFuture.supplyAsync(() -> runner.run(p));
      jobId = cluster.awaitRunningJob(j -> j.name().equals(options.getJobName()), 2, Duration.ofSeconds(120));
      Thread.sleep(3_000); // well into the slow stage
      assertFalse(job.isDone(), "the job must still be running when the TaskManager is killed");
      cluster.killTaskManager(1);
      cluster.start(); // start.sh brings TaskManager 1 back
      result = job.get(5, TimeUnit.MINUTES);
    } finally {
      System.setErr(stderr);
    }

    assertEquals(PipelineResult.State.DONE, result.getState());
    List<String> history = cluster.rest.exceptionHistory(jobId);
    assertFalse(history.isEmpty(), "the job should have failed over at least once");
    String printed = told.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("gz: the job recovered from " + history.size() + " failure(s)"), printed);
    List<Integer> seen = new ArrayList<>();
    try (Stream<Path> parts = Files.list(out)) {
      for (Path f : parts.filter(f -> f.getFileName().toString().startsWith("part")).toList()) {
        Files.readAllLines(f).forEach(line -> seen.add(Integer.parseInt(line)));
      }
    }
    seen.sort(null);
    assertEquals(IntStream.range(0, ELEMENTS).boxed().toList(), seen, "every element exactly once");
  }

  static final class SlowToString extends SimpleFunction<Integer, String> {
    @Override
    public String apply(Integer i) {
      try {
        Thread.sleep(MILLIS_PER_ELEMENT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return Integer.toString(i);
    }
  }
}
