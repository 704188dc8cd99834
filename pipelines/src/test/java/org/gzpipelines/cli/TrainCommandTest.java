package org.gzpipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gzpipelines.testing.TinyModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code gz train} fails with clear messages before anything is trained or tracked. */
class TrainCommandTest {

  @TempDir Path dir;

  String run(String... args) {
    CommandLine cl = Gz.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    assertEquals(2, code, err.toString());
    return err.toString();
  }

  @Test
  void missingDataFolderSaysRunIngestFirst() throws Exception {
    Path cfg = Files.writeString(dir.resolve("c.yaml"), "train:\n  data: " + dir.resolve("nothing") + "\n");
    String err = run("train", "--config", cfg.toString());
    assertTrue(err.contains("run gz ingest first"), err);
  }

  @Test
  void withoutAConfigTheFlagsSetTheDefaults() {
    // As every stage command: the section's defaults (those --help shows) with the flags typed.
    String err = run("train", "--data", dir.resolve("elsewhere").toString(), "--max-images", "100");
    assertTrue(err.contains("elsewhere") && err.contains("run gz ingest first"), err);
  }

  @Test
  void badConfigNamesKeyAndFile() throws Exception {
    Path cfg = Files.writeString(dir.resolve("bad.yaml"), "train:\n  optimizer:\n    name: adamw\n");
    String err = run("train", "--config", cfg.toString());
    assertTrue(err.contains("'train.optimizer.name'") && err.contains("bad.yaml"), err);
  }

  @Test
  void dataOverrideIsUsed() throws Exception {
    Path cfg = Files.writeString(dir.resolve("c.yaml"), "train:\n  data: somewhere\n");
    String err = run("train", "--config", cfg.toString(), "--data", dir.resolve("elsewhere").toString());
    assertTrue(err.contains("elsewhere") && err.contains("run gz ingest first"), err);
  }

  @Test
  void aSetKeyIsUsedAndAMistypedOneIsNamed() throws Exception {
    String cfg = Files.writeString(dir.resolve("c.yaml"), "train:\n  data: somewhere\n").toString();
    String err = run("train", "--config", cfg, "--set", "train.data=" + dir.resolve("elsewhere"),
        "--set", "train.augment.noise=0.02");
    assertTrue(err.contains("elsewhere") && err.contains("run gz ingest first"), err);
    err = run("train", "--config", cfg, "--set", "train.augment.nois=0.02");
    assertTrue(err.contains("the command line: unknown key 'train.augment.nois'") && err.contains("noise"), err);
  }

  @Test
  void aListTheShellSplitIsNamedWithItsQuotedForm() {
    String err = run("train", "--set", "train.custom-cnn.filters=[8,", "16]");
    assertTrue(err.contains("quote it: --set 'train.custom-cnn.filters=[8, 16]'"), err);
  }

  /** A bad argument is named in a line or two, with where the usage is, not the whole usage. */
  @Test
  void aBadArgumentIsNamedWithoutTheWholeUsage() {
    String err = run("ingest", "--images", "x", "--runner", "flnk");
    assertTrue(err.contains("'flnk' is not a runner: give direct (Beam's DirectRunner), flink-local"), err);
    assertTrue(err.contains("Usage: gz ingest --help") && err.lines().count() <= 3, err);
    err = run("ingest", "--images", "x", "--runner=FlinkRunner"); // a Beam user's habit
    assertTrue(err.contains("flink (Beam's FlinkRunner on the cluster at --flink-master)"), err);
    err = run("comapre");
    assertTrue(err.contains("Did you mean") && err.contains("Usage: gz --help"), err);
  }

  /** Runner flags that could not do what they say: refused before a run opens, not ignored or failed inside Flink. */
  @Test
  void runnerFlagsThatCannotApplyAreRefused() {
    String err = run("ingest", "--images", "x", "--flink-master", "127.0.0.1:18081");
    assertTrue(err.contains("--flink-master 127.0.0.1:18081 is for --runner flink, and this command runs on --runner direct"),
        err);
    err = run("ingest", "--images", "x", "--runner", "flink-local", "--parallelism", "0");
    assertTrue(err.contains("--parallelism must be at least 1, not 0"), err);
  }

  @Test
  void aResumeWithNothingLeftToTrainSaysWhichKeyToRaise() throws Exception {
    Path finished = TinyModel.shared().runFolder(); // trained to its whole budget
    String err = run("train", "--resume", finished.toString());
    assertTrue(err.contains("nothing to train: the checkpoint") && err.contains("to train further, raise train."), err);
    assertEquals(1, err.lines().count(), "one line, no stack trace: " + err);
  }

  @Test
  void unknownRunToResume() {
    String err = run("train", "--resume", "no-such-run");
    assertTrue(err.contains("no training checkpoint for 'no-such-run'"), err);
  }
}
