package org.gzpipelines.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.values.KV;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.run.PipelineRunner;
import org.gzpipelines.tracking.RunStatus;
import org.gzpipelines.tracking.TrackedRun;
import org.gzpipelines.tracking.Tracking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a real standalone Flink cluster (infra/flink/start.sh, two TaskManager JVMs): the
 * runner flags, job jar staging, job submission over REST, and what a user sees when the cluster
 * is missing or a job fails.
 */
class FlinkClusterTest extends FlinkClusterTestBase {

  private static final int ELEMENTS = 20_000;
  private static final int KEYS = 100;


  private static PipelineRunner runner(String master, Integer parallelism) {
    return new PipelineRunner(PipelineRunner.Kind.FLINK, master, parallelism, false);
  }

  /** Options for the cluster, also staging this test's classes (the DoFns below live here). */
  private static FlinkPipelineOptions clusterOptions(PipelineRunner runner) throws Exception {
    FlinkPipelineOptions options = runner.options("test").as(FlinkPipelineOptions.class);
    List<String> files = new ArrayList<>();
    files.add(Path.of(FlinkClusterTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
    files.addAll(options.getFilesToStage());
    options.setFilesToStage(files);
    return options;
  }

  @Test
  void groupByKeyRunsOnTheClusterWithTheStagedJobJar(@TempDir Path out, @TempDir Path runs) throws Exception {
    Tracking tracking = Tracking.offline(runs);
    TrackedRun stageRun = tracking.startRun("flink-test", "test");
    PipelineRunner runner = runner(cluster.master, 2).taggingJobsOn(stageRun);
    FlinkPipelineOptions options = clusterOptions(runner);
    assertTrue(options.getFilesToStage().stream().anyMatch(f -> f.endsWith("-job.jar")), options.getFilesToStage().toString());

    Pipeline p = Pipeline.create(options);
    p.apply("Numbers", Create.of(IntStream.range(0, ELEMENTS).boxed().toList()))
        .apply("KeyByRemainder", MapElements.via(new KeyByRemainder()))
        .apply(GroupByKey.create())
        .apply("CountAndSum", MapElements.via(new CountAndSum()))
        .apply(TextIO.write().to(out.resolve("part").toString()).withSuffix(".txt").withNumShards(2));
    PipelineResult result = runner.run(p);

    assertEquals(PipelineResult.State.DONE, result.getState());
    // Beam zipped the class folders (main and test) into jars in the build tree, not in /tmp.
    Path target = JobJar.classesJarFolder().orElseThrow();
    List<String> zipped = options.getFilesToStage().stream().filter(f -> !f.endsWith("-job.jar")).toList();
    assertEquals(2, zipped.size(), options.getFilesToStage().toString());
    assertTrue(zipped.stream().allMatch(f -> f.endsWith(".jar") && Path.of(f).getParent().equals(target)), zipped.toString());
    Map<Integer, String> lines = new TreeMap<>();
    for (String line : readAll(out)) {
      lines.put(Integer.parseInt(line.split("\t")[0]), line);
    }
    assertEquals(KEYS, lines.size());
    for (int k = 0; k < KEYS; k++) {
      final int key = k;
      long sum = IntStream.range(0, ELEMENTS).filter(i -> i % KEYS == key).asLongStream().sum();
      assertEquals(k + "\t" + (ELEMENTS / KEYS) + "\t" + sum, lines.get(k));
    }
    FlinkRestClient.Job job = cluster.rest.jobs().stream()
        .filter(j -> j.name().equals(options.getJobName())).findFirst().orElseThrow();
    assertEquals("FINISHED", job.state());
    stageRun.end(RunStatus.FINISHED);
    assertEquals(job.id(), tracking.getRun(stageRun.runId()).tags().get("gz.flink.job.test"),
        "the stage's run names the Flink job it ran, under a key without the job name's time: " + options.getJobName());
    tracking.close();
  }

  @Test
  void aMissingClusterIsReportedWithTheFix() throws Exception {
    String nowhere = "127.0.0.1:" + FlinkTestCluster.freePort();
    UserError e = assertThrows(UserError.class,
        () -> runner(nowhere, null).options("test"));
    assertTrue(e.getMessage().contains("no Flink cluster answers at http://" + nowhere), e.getMessage());
    assertTrue(e.getMessage().contains("infra/flink/start.sh or check --flink-master"), e.getMessage());
  }

  @Test
  void moreParallelismThanTheClusterHasSlotsIsRefusedBeforeAnyRun() throws Exception {
    int slots = cluster.rest.overview().slotsTotal();
    UserError e = assertThrows(UserError.class, () -> runner(cluster.master, slots + 2).checkReady());
    assertTrue(e.getMessage().contains("--parallelism " + (slots + 2) + " is more than the " + slots + " task slots"),
        e.getMessage());
    assertTrue(e.getMessage().contains("Use --parallelism " + slots), e.getMessage());
    runner(cluster.master, slots).checkReady(); // every slot is fine
  }

  @Test
  void aFailedJobReportsFlinksRootCause() throws Exception {
    PipelineRunner runner = runner(cluster.master, 1);
    // Beam's numberOfExecutionRetries only reaches streaming jobs: this batch job fails after the
    // cluster's restart strategy (config.yaml: 5 attempts, 5 s apart) gives up.
    FlinkPipelineOptions options = clusterOptions(runner);
    Pipeline p = Pipeline.create(options);
    p.apply(Create.of(1, 2, 42, 3)).apply(MapElements.via(new FailOn42()));

    FlinkJobFailed e = assertThrows(FlinkJobFailed.class, () -> runner.run(p));

    FlinkRestClient.Job job = cluster.rest.jobs().stream()
        .filter(j -> j.name().equals(options.getJobName())).findFirst().orElseThrow();
    assertEquals("FAILED", job.state());
    String message = e.getMessage();
    System.err.println("the report a user sees:\n" + message);
    assertTrue(message.startsWith("Flink job " + job.id()), message);
    assertTrue(message.contains("IllegalStateException: galaxy 42 is broken"), message);
    assertTrue(message.matches("(?s).* failed [2-9][0-9]* times \\(the cluster's restart strategy gave up\\).*"), message);
    assertTrue(message.contains(cluster.rest.completedJobPage(job.id()).toString()), message);
    assertTrue(message.lines().count() <= 3, "a short report, not stack frames:\n" + message);
  }

  private static List<String> readAll(Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith("part")).toList()) {
        lines.addAll(Files.readAllLines(f));
      }
    }
    return lines;
  }

  static final class KeyByRemainder extends SimpleFunction<Integer, KV<Integer, Integer>> {
    @Override
    public KV<Integer, Integer> apply(Integer i) {
      return KV.of(i % KEYS, i);
    }
  }

  static final class CountAndSum extends SimpleFunction<KV<Integer, Iterable<Integer>>, String> {
    @Override
    public String apply(KV<Integer, Iterable<Integer>> group) {
      long count = 0;
      long sum = 0;
      for (int v : group.getValue()) {
        count++;
        sum += v;
      }
      return group.getKey() + "\t" + count + "\t" + sum;
    }
  }

  static final class FailOn42 extends SimpleFunction<Integer, Integer> {
    @Override
    public Integer apply(Integer i) {
      if (i == 42) {
        throw new IllegalStateException("galaxy " + i + " is broken");
      }
      return i;
    }
  }
}
