package org.gzpipelines.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The training progress bar: redrawn in place on a terminal, plain lines in a log. */
class ProgressBarTest {

  private static String draw(boolean inPlace) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ProgressBar bar = new ProgressBar(out, 1000, 0, inPlace);
    bar.update(100, 0.2, 1e-3f, true);
    bar.update(150, 0.2, 1e-3f, false); // too soon after the last draw: skipped
    bar.update(1000, 0.1, 1e-3f, true);
    bar.finish();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void writesOneReadableLinePerUpdateWhenNotOnATerminal() {
    String log = draw(false);
    assertFalse(log.contains("\r"), log);
    List<String> lines = log.lines().toList();
    assertEquals(2, lines.size(), log);
    assertTrue(lines.get(0).startsWith("[==") && lines.get(0).contains(" 100/1,000 images"), lines.get(0));
    assertTrue(lines.get(1).contains("1,000/1,000 images"), lines.get(1));
  }

  @Test
  void redrawsInPlaceOnATerminal() {
    String screen = draw(true);
    assertEquals(2, screen.chars().filter(c -> c == '\r').count(), screen);
    assertTrue(screen.endsWith(System.lineSeparator()), "the last draw's line is ended");
  }

  /** A pipeline that ends within its first second: its first draw showed the total, its final one adds nothing. */
  @Test
  void aForcedDrawOfTheImagesAlreadyShownIsSkipped() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), 400, 0, false);
    bar.update(400, false);
    bar.update(400, true);
    bar.finish();
    assertEquals(1, bytes.toString(StandardCharsets.UTF_8).lines().count(), bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void countsTheImagesOfWholeBatches() {
    // 318 images an epoch in batches of 64 (the last one 62): a budget of 600 ends with epoch 2.
    assertEquals(636, GalaxyTrainer.wholeBatches(600, 318, 64));
    assertEquals(1210, GalaxyTrainer.wholeBatches(1200, 318, 64));
    assertEquals(954, GalaxyTrainer.wholeBatches(954, 318, 64));
    assertEquals(640, GalaxyTrainer.wholeBatches(600, 10_000, 64));
  }
}
