package org.gzpipelines.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gzpipelines.errors.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Short run ids against the run folders offline tracking writes. */
class ShortRunIdsTest {
  @TempDir Path tmp;

  @Test
  void aUniquePrefixNamesItsRunASharedOneListsTheRunsAndAnyOtherArgumentStaysAsGiven() throws Exception {
    Path runs = tmp.resolve("runs");
    List<String> ids = new ArrayList<>();
    try (Tracking tracking = Tracking.offline(runs)) {
      for (String name : List.of("alpha", "beta", "gamma")) {
        TrackedRun run = tracking.startRun("exp", name);
        run.end(RunStatus.FINISHED);
        ids.add(run.runId());
      }
    }
    // Random ids share no 8 digits: two runs renamed so that they share ten.
    String a = "0123456789" + "a".repeat(22);
    String b = "0123456789" + "b".repeat(22);
    Files.move(runs.resolve(ids.get(0)), runs.resolve(a));
    Files.move(runs.resolve(ids.get(1)), runs.resolve(b));
    String gamma = ids.get(2);

    assertEquals(gamma, ShortRunIds.expand(gamma.substring(0, ShortRunIds.MIN_DIGITS), runs));
    assertEquals(gamma, ShortRunIds.expand(gamma.substring(0, 20), runs));
    assertEquals(a, ShortRunIds.expand("0123456789a", runs), "one more digit tells them apart");

    UserError shared = assertThrows(UserError.class, () -> ShortRunIds.expand("01234567", runs));
    String message = shared.getMessage();
    assertTrue(message.contains("run id 01234567 is ambiguous: 2 runs under " + runs)
        && message.contains("give more of its digits"), message);
    assertTrue(message.contains(a + "  'alpha' in experiment 'exp'") && message.contains(b + "  'beta'"), message);

    // Left to the caller's own error: too short, no run starts with it, a full id, a path, no runs folder.
    String seven = gamma.substring(0, ShortRunIds.MIN_DIGITS - 1);
    assertEquals(seven, ShortRunIds.expand(seven, runs));
    String unknown = (gamma.charAt(0) == 'f' ? "e" : "f") + gamma.substring(1, 8);
    assertEquals(unknown, ShortRunIds.expand(unknown, runs));
    assertEquals(gamma, ShortRunIds.expand(gamma, runs));
    assertEquals(runs.resolve(gamma).toString(), ShortRunIds.expand(runs.resolve(gamma).toString(), runs));
    assertEquals("01234567", ShortRunIds.expand("01234567", tmp.resolve("no-runs")));
  }
}
