package org.gzpipelines.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.gzpipelines.cli.Gz;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Split;
import org.gzpipelines.synth.SynthOptions;
import org.gzpipelines.synth.SyntheticDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gz ingest --runner flink} on a real standalone cluster, as a user runs it: the same
 * records as the Direct runner, and a complete output after a TaskManager is killed mid-job.
 */
class FlinkIngestTest extends FlinkClusterTestBase {

  @Test
  void ingestOnTheClusterWritesExactlyTheDirectRunnersRecords(@TempDir Path tmp) throws Exception {
    SyntheticDataset.Result data = SyntheticDataset.generate(SynthOptions.defaults().withCount(200).withSeed(11), tmp.resolve("synth"));

    gz("ingest", "--images", data.imagesDir().toString(), "--labels", data.labelsCsv().toString(),
        "--out", tmp.resolve("direct").toString(), "--augment", "1", "--runner", "direct");
    gz("ingest", "--images", data.imagesDir().toString(), "--labels", data.labelsCsv().toString(),
        "--out", tmp.resolve("flink").toString(), "--augment", "1",
        "--runner", "flink", "--flink-master", cluster.master, "--parallelism", "2");

    List<String> direct = IngestOutput.fingerprint(tmp.resolve("direct"));
    assertEquals(200, direct.stream().map(r -> r.split(" ")[0]).distinct().count());
    assertEquals(direct, IngestOutput.fingerprint(tmp.resolve("flink")));
  }

  @Test
  void ingestSurvivesAKilledTaskManagerWithEveryRecordExactlyOnce(@TempDir Path tmp) throws Exception {
    // Enough images that the job is still running seconds after its tasks start on 2 busy cores.
    int count = 1_500;
    int augment = 3;
    SyntheticDataset.Result data = SyntheticDataset.generate(SynthOptions.defaults().withCount(count).withSeed(12), tmp.resolve("synth"));
    Set<String> before = cluster.rest.jobs().stream().map(FlinkRestClient.Job::id).collect(Collectors.toSet());

    CompletableFuture<Void> ingest = CompletableFuture.runAsync(() -> gz("ingest",
        "--images", data.imagesDir().toString(), "--labels", data.labelsCsv().toString(),
        "--out", tmp.resolve("out").toString(), "--augment", String.valueOf(augment),
        "--runner", "flink", "--flink-master", cluster.master, "--parallelism", "2"));
    String jobId = cluster.awaitRunningJob(
        j -> !before.contains(j.id()) && j.name().startsWith("gz-ingest-"), 2, Duration.ofMinutes(3));
    Thread.sleep(2_000); // into the decoding
    assertFalse(ingest.isDone(), "the ingest must still be running when the TaskManager is killed");
    cluster.killTaskManager(1);
    cluster.start(); // start.sh brings TaskManager 1 back

    ingest.get(10, TimeUnit.MINUTES);

    assertFalse(cluster.rest.exceptionHistory(jobId).isEmpty(), "the job should have failed over at least once");
    List<Galaxy> records = IngestOutput.records(tmp.resolve("out"));
    Set<String> unique = new HashSet<>();
    Map<Long, Integer> copies = new TreeMap<>();
    for (Galaxy g : records) {
      assertTrue(unique.add(g.getGalaxyId() + "/" + g.getCopyIndex()), "duplicate record " + g.getGalaxyId() + "/" + g.getCopyIndex());
      copies.merge(g.getGalaxyId(), 1, Integer::sum);
      int expectedCopies = g.getSplit() == Split.TRAIN ? augment + 1 : 1;
      assertTrue(g.getCopyIndex() < expectedCopies, "copy index " + g.getCopyIndex() + " of " + g.getGalaxyId());
    }
    assertEquals(inputIds(data.labelsCsv()), new TreeSet<>(copies.keySet()), "every input galaxy, no other");
    for (Galaxy g : records) {
      assertEquals(g.getSplit() == Split.TRAIN ? augment + 1 : 1, copies.get(g.getGalaxyId()), "copies of " + g.getGalaxyId());
    }
  }

  private static Set<Long> inputIds(Path labelsCsv) throws Exception {
    try (var lines = Files.lines(labelsCsv)) {
      return lines.skip(1).map(l -> Long.parseLong(l.substring(0, l.indexOf(',')))).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** Runs the gz command line as a user would; fails with what it printed unless it exits 0. */
  /** Runs a gz command in this JVM; a non-zero exit fails the test with the command's error output. */
  static void gz(String... args) {
    StringWriter err = new StringWriter();
    int code = Gz.commandLine().setErr(new PrintWriter(err, true)).execute(args);
    if (code != 0) {
      throw new AssertionError("gz " + String.join(" ", args) + " exited " + code + ":\n" + err);
    }
  }
}
