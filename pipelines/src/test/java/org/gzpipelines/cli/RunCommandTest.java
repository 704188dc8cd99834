package org.gzpipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.gzpipelines.testing.TinyStudy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code gz run} on a tiny sweep: every grid point is its own training run under one parent, the
 * comparison runs at the end, and a second run with nothing changed skips every stage but ingest
 * (which skips itself).
 */
class RunCommandTest {

  @Test
  void sweepTrainsEveryPointUnderOneParentAndARerunSkips(@TempDir Path dir) throws Exception {
    Path config = TinyStudy.config(dir, "sweep", "gz-run-test-" + System.nanoTime(),
        "[synth, ingest, train, compare]", "[8, 16]",
        "sweep:",
        "  grid:",
        "    optimizer.lr: [0.001, 0.0003]");

    org.gzpipelines.run.Study.Outcome first = run(config).outcome;
    assertEquals(2, first.trainRunIds().size(), "one training run per grid point");
    assertEquals(2, new HashSet<>(first.trainRunIds()).size());
    for (String id : first.trainRunIds()) {
      Path meta = Path.of("runs").resolve(id).resolve("meta.json");
      assertEquals(first.parentRunId(), new ObjectMapper().readTree(meta.toFile()).path("parentRunId").asText(),
          "training run " + id + " is a child of the parent run");
    }

    Result second = run(config);
    assertEquals(first.trainRunIds(), second.outcome.trainRunIds(), "the same trained runs are reused");
    assertNotEquals(first.parentRunId(), second.outcome.parentRunId());
    assertTrue(second.output.contains("synth: unchanged since its last success"), second.output);
    assertTrue(second.output.contains("train tiny optimizer.lr=0.001: unchanged"), second.output);
    assertTrue(second.output.contains("is up to date"),
        "ingest skips an unchanged input itself:\n" + second.output);
  }

  private record Result(org.gzpipelines.run.Study.Outcome outcome, String output) {}

  private static Result run(Path config) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      CommandLine cl = Gz.commandLine();
      int code = cl.execute("run", "--config", config.toString());
      System.setOut(previous);
      String output = bytes.toString(StandardCharsets.UTF_8);
      assertEquals(0, code, output);
      return new Result(((RunCommand) cl.getSubcommands().get("run").getCommand()).outcome(), output);
    } finally {
      System.setOut(previous);
    }
  }
}
