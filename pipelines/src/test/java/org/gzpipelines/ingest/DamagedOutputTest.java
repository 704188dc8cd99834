package org.gzpipelines.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.model.data.Manifest;
import org.gzpipelines.model.data.ShardCheck;
import org.gzpipelines.model.train.GalaxyTrainer;
import org.gzpipelines.tracking.ProcessOwner;
import org.gzpipelines.tracking.Provenance;
import org.gzpipelines.tracking.Tracking;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real ingest output with a deleted, truncated or changed shard: {@code gz ingest} writes it
 * again, and train, explore, evaluate, mergers and {@code gz run} stop with the file and the fix
 * instead of reading part of it. And the staging folder of an ingest killed with SIGKILL is removed
 * by the next ingest into the same output, while those of live processes stay.
 */
class DamagedOutputTest {

  static final String[] SETTINGS = {"--expected-size", "64", "--crop-size", "32", "--output-size", "16",
      "--records-per-shard", "6"};
  static final String FIX = "re-run gz ingest --force to rewrite ";

  @TempDir static Path dir;
  static Fixtures.Input input;
  static Path labelled;
  static Path unlabelled;
  static Path model;

  /** How a shard gets damaged, and how the check describes it. */
  enum Damage {
    DELETED("is missing"), TRUNCATED("is truncated"), CHANGED("has changed");

    final String says;

    Damage(String says) {
      this.says = says;
    }

    void apply(Path shard) throws Exception {
      switch (this) {
        case DELETED -> Files.delete(shard);
        case TRUNCATED -> {
          try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
            f.setLength(f.length() / 2);
          }
        }
        case CHANGED -> {
          // A byte of the last block's Snappy data: size and block headers stay as recorded.
          try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
            f.seek(f.length() - 100);
            int b = f.read();
            f.seek(f.length() - 100);
            f.write(b ^ 0xff);
          }
        }
        default -> throw new IllegalStateException();
      }
    }
  }

  @BeforeAll
  static void ingestAndTrain() throws Exception {
    input = Fixtures.writeInput(dir, 30, 64);
    labelled = dir.resolve("labelled");
    IngestRuns.ingest(input.images(), input.labels(), labelled, SETTINGS);
    unlabelled = dir.resolve("unlabelled");
    IngestRuns.ingest(input.images(), null, unlabelled, SETTINGS);
    // A mean-baseline model for evaluate and mergers, copied out of its run folder so it stands alone.
    ExperimentConfigFile config = ExperimentConfigFile.parse("experiment: gz-test\ntrain:\n  data: " + labelled
        + "\n  architecture: mean-baseline\n", dir.resolve("baseline.yaml"));
    try (Tracking tracking = Tracking.offline(dir.resolve("runs"))) {
      GalaxyTrainer.Result r = new GalaxyTrainer(config).console(null).train(tracking.startRun("gz-test", "baseline"), null);
      model = copy(r.workDir().resolve(GalaxyTrainer.MODEL_DIR), dir.resolve("model"));
    }
  }

  @Test
  void ingestWritesADamagedOutputAgainInsteadOfSkippingIt() throws Exception {
    List<String> records = Fixtures.fingerprint(labelled);
    for (Damage damage : Damage.values()) {
      Path out = copy(labelled, dir.resolve("ingest-" + damage));
      Path shard = shard(out, "train", 1);
      damage.apply(shard);
      IngestRuns.Run run = IngestRuns.ingest(input.images(), input.labels(), out, SETTINGS);
      assertFalse(run.result().skipped(), damage + ": " + run.output());
      assertTrue(run.output().contains(shard + " " + damage.says) && run.output().contains(": ingesting again."),
          run.output());
      ShardCheck.all(out);
      assertEquals(records, Fixtures.fingerprint(out), damage + ": the same records again");
    }
  }

  @Test
  void forceIngestsAgainAnOutputThatIsUpToDate() throws Exception {
    Path out = copy(labelled, dir.resolve("force"));
    assertTrue(IngestRuns.ingest(input.images(), input.labels(), out, SETTINGS).result().skipped());
    List<String> args = new ArrayList<>(List.of(SETTINGS));
    args.add("--force");
    IngestRuns.Run forced = IngestRuns.ingest(input.images(), input.labels(), out, args.toArray(String[]::new));
    assertFalse(forced.result().skipped(), forced.output());
    assertTrue(forced.output().contains("Wrote " + out), forced.output());
  }

  @Test
  void trainExploreEvaluateAndMergersStopAtADamagedShardWithTheFix() throws Exception {
    for (Damage damage : new Damage[] {Damage.DELETED, Damage.TRUNCATED}) {
      Path out = copy(labelled, dir.resolve("read-" + damage));
      Path shard = shard(out, "val", 0);
      damage.apply(shard);
      String sentence = shard + " " + damage.says;
      Path config = Files.writeString(dir.resolve("train-" + damage + ".yaml"),
          "experiment: gz-test\ntrain:\n  data: " + out + "\n  architecture: mean-baseline\n");
      assertFails(sentence, out, "train", "--config", config.toString());
      assertFails(sentence, out, "explore", "--data", out.toString());
      assertFails(sentence, out, "evaluate", "--model", model.toString(), "--data", out.toString(),
          "--output", dir.resolve("evaluation-" + damage).toString());
      assertFails(sentence, out, "mergers", "--model", model.toString(), "--images", unlabelled.toString(),
          "--validation", out.toString(), "--output", dir.resolve("mergers-" + damage).toString());

      Path test = copy(unlabelled, dir.resolve("test-" + damage));
      Path testShard = shard(test, "test", 0);
      damage.apply(testShard);
      assertFails(testShard + " " + damage.says, test, "mergers", "--model", model.toString(), "--images",
          test.toString(), "--validation", labelled.toString(), "--output", dir.resolve("mergers-test-" + damage).toString());
    }
  }

  @Test
  void aByteChangedInsideABlockFailsTheReadWhichNamesTheShardAndTheFix() throws Exception {
    Path out = copy(labelled, dir.resolve("read-changed"));
    Path shard = shard(out, "val", 0);
    Damage.CHANGED.apply(shard);
    Path config = Files.writeString(dir.resolve("train-changed.yaml"),
        "experiment: gz-test\ntrain:\n  data: " + out + "\n  architecture: mean-baseline\n");
    // Size and block headers are as recorded: the stages start, and Snappy's CRC stops their read.
    assertFails(shard + " cannot be read (", out, "train", "--config", config.toString());
    String sentence = shard + " has changed (its content no longer has the recorded checksum";
    assertFails(sentence, out, "explore", "--data", out.toString());
    assertFails(sentence, out, "evaluate", "--model", model.toString(), "--data", out.toString(),
        "--output", dir.resolve("evaluation-changed").toString());
    assertFails(sentence, out, "mergers", "--model", model.toString(), "--images", unlabelled.toString(),
        "--validation", out.toString(), "--output", dir.resolve("mergers-changed").toString());
  }

  @Test
  void gzRunDoesNotSkipAStageWhoseDataIsDamaged() throws Exception {
    Path out = copy(labelled, dir.resolve("run"));
    Path config = Files.writeString(dir.resolve("run.yaml"), String.join("\n",
        "experiment: gz-shards-test-" + System.nanoTime(),
        "stages: [train]",
        "train: {data: " + out + ", architecture: mean-baseline, run-name: baseline}",
        ""));
    assertEquals(0, IngestRuns.cli("run", "--config", config.toString()).exitCode());
    Path shard = shard(out, "train", 0);
    Damage.TRUNCATED.apply(shard);
    assertFails(shard + " is truncated", out, "run", "--config", config.toString());
  }

  @Test
  void stagingFoldersOfDeadIngestsAreRemovedAndThoseOfLiveProcessesKept() throws Exception {
    Path out = copy(labelled, dir.resolve("staging"));
    Path killed = killIngestWhileItWrites(out);
    ProcessHandle self = ProcessHandle.current();
    long selfStarted = self.info().startInstant().orElseThrow().toEpochMilli();
    Path live = staging(out, "live", new ProcessOwner(self.pid(), Provenance.hostName(), selfStarted));
    Path reused = staging(out, "reused", new ProcessOwner(self.pid(), Provenance.hostName(), selfStarted - 3_600_000));
    Path elsewhere = staging(out, "elsewhere", new ProcessOwner(self.pid() + 1, "another-host", selfStarted));
    Path unowned = Files.createDirectory(out.resolveSibling("." + out.getFileName() + ".tmp-unowned"));

    IngestRuns.Run next = IngestRuns.ingest(input.images(), input.labels(), out, SETTINGS);
    assertTrue(next.result().skipped(), "the killed ingest never replaced the output:\n" + next.output());
    assertFalse(Files.exists(killed), "the killed ingest's folder is removed:\n" + next.output());
    assertTrue(next.output().contains("Removed " + killed + ", left by an ingest that did not finish"), next.output());
    assertFalse(Files.exists(reused), "a process with the pid but another start time is not the owner");
    assertTrue(Files.exists(live), "this JVM still runs");
    assertTrue(Files.exists(elsewhere), "a process on another host cannot be looked at");
    assertTrue(Files.exists(unowned));
    assertTrue(next.output().contains("Left " + unowned + " alone"), next.output());
  }

  /**
   * Starts {@code gz ingest --force} into {@code out} in a child JVM, kills it with SIGKILL once it
   * has made its staging folder, and returns that folder.
   */
  static Path killIngestWhileItWrites(Path out) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-cp", System.getProperty("java.class.path"), "org.gzpipelines.cli.Gz", "ingest",
        "--images", input.images().toString(), "--labels", input.labels().toString(), "--out", out.toString()));
    command.addAll(List.of(SETTINGS));
    command.add("--force");
    Process gz = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("killed-ingest.log").toFile()).start();
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    Optional<Path> staging = Optional.empty();
    while (staging.isEmpty() && gz.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
      try (Stream<Path> siblings = Files.list(out.getParent())) {
        staging = siblings.filter(p -> p.getFileName().toString().startsWith("." + out.getFileName() + ".tmp-")
            && Files.isRegularFile(p.resolve(StagingFolder.OWNER_FILE))).findFirst();
      }
    }
    gz.destroyForcibly().waitFor();
    assertTrue(staging.isPresent(), "the child ingest made no staging folder before it ended:\n"
        + Files.readString(dir.resolve("killed-ingest.log")));
    assertEquals(gz.pid(), new ObjectMapper().readTree(staging.get().resolve(StagingFolder.OWNER_FILE).toFile())
        .path("pid").asLong());
    return staging.get();
  }

  static Path staging(Path out, String name, ProcessOwner owner) throws Exception {
    Path folder = Files.createDirectories(out.resolveSibling("." + out.getFileName() + ".tmp-" + name).resolve("output"))
        .getParent();
    new ObjectMapper().writeValue(folder.resolve(StagingFolder.OWNER_FILE).toFile(), owner);
    Files.write(folder.resolve("output/part-00000-of-00001.avro"), new byte[1024]);
    return folder;
  }

  /** {@code gz <args>} exits as for a user error with the sentence naming the shard and the fix. */
  static void assertFails(String sentence, Path data, String... args) {
    IngestRuns.Cli run = IngestRuns.cli(args);
    assertEquals(2, run.exitCode(), String.join(" ", args) + ":\n" + run.stderr());
    assertTrue(run.stderr().contains(sentence) && run.stderr().contains(FIX + data), String.join(" ", args) + ":\n"
        + run.stderr());
  }

  /** The {@code index}-th shard of a split, as the manifest lists it. */
  static Path shard(Path out, String split, int index) throws Exception {
    return out.resolve(split).resolve(Manifest.read(out).shards().get(split).get(index).file());
  }

  static Path copy(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(from.relativize(f).toString()));
      }
    }
    return to;
  }
}
