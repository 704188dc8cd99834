package org.gzpipelines.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.gzpipelines.run.PipelineRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code infra/flink/start.sh --slots S}: one TaskManager on a 2-core machine (FLINK.md's advice for
 * 8 GB) needs two slots to use both cores. A cluster of its own (one TaskManager, two slots), not the
 * shared two-TaskManager one.
 */
class FlinkSlotsTest {

  @Test
  void oneTaskManagerWithTwoSlotsRunsAJobAtParallelismTwo(@TempDir Path out) throws Exception {
    FlinkTestCluster cluster = FlinkTestCluster.startPrivate("flink-slots", "--taskmanagers", "1", "--slots", "2");
    try {
      assertTrue(cluster.startOutput.contains("1 TaskManager(s), 2 slot(s)"), cluster.startOutput);
      FlinkRestClient.Overview overview = cluster.rest.overview();
      assertEquals(1, overview.taskManagers());
      assertEquals(2, overview.slotsTotal());

      // No --parallelism: gz asks for every slot, and both run on the one TaskManager.
      PipelineRunner runner = new PipelineRunner(PipelineRunner.Kind.FLINK, cluster.master, null, false);
      FlinkPipelineOptions options = runner.options("test").as(FlinkPipelineOptions.class);
      assertEquals(2, options.getParallelism());
      FlinkTestCluster.get().jobJar();
      List<String> files = new ArrayList<>(options.getFilesToStage());
      files.add(Path.of(FlinkSlotsTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
      options.setFilesToStage(files);
      Pipeline p = Pipeline.create(options);
      p.apply(Create.of(IntStream.range(0, 1_000).boxed().toList()))
          .apply(Reshuffle.viaRandomKey())
          .apply(MapElements.into(TypeDescriptors.strings()).via(String::valueOf))
          .apply(TextIO.write().to(out.resolve("part").toString()).withSuffix(".txt").withNumShards(2));
      runner.run(p);
      try (Stream<Path> parts = Files.list(out)) {
        List<Path> shards = parts.filter(f -> f.getFileName().toString().endsWith(".txt")).toList();
        assertEquals(2, shards.size());
        long lines = 0;
        for (Path shard : shards) {
          lines += Files.readAllLines(shard).size();
        }
        assertEquals(1_000, lines);
      }
    } finally {
      cluster.stop();
    }
  }

  @Test
  void aSlotCountThatIsNotANumberIsRefused() throws Exception {
    Process p = new ProcessBuilder(FlinkTestCluster.repositoryRoot().resolve("infra/flink/start.sh").toString(),
        "--slots", "0").redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue(), output);
    assertTrue(output.contains("--slots needs a number >= 1"), output);
  }
}
