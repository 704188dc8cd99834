package org.gzpipelines.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StageLedgerTest {

  @Test
  void keepsEarlierSettingsNewestLastAndReadsTheFormatBeforeTheHistory(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("e.json"), "{\"synth\": {\"fingerprint\": \"a\", \"output\": \"out\"}}");
    StageLedger ledger = StageLedger.open(file);
    assertEquals(Optional.of("out"), ledger.done("synth", "a"));

    ledger.record("train demo", "f1", "run1");
    ledger.record("train demo", "f2", "run2");
    StageLedger reopened = StageLedger.open(file);
    assertEquals(Optional.of("out"), reopened.done("synth", "a"));
    assertEquals(Optional.of("run2"), reopened.done("train demo", "f2"));
    assertEquals(Optional.empty(), reopened.done("train demo", "f1"), "not the newest");
    assertEquals(Optional.of("run1"), reopened.earlier("train demo", "f1"));
    reopened.record("train demo", "f1", "run1");
    assertEquals(Optional.of("run1"), StageLedger.open(file).done("train demo", "f1"), "the newest again");

    for (int i = 0; i < StageLedger.HISTORY + 5; i++) {
      reopened.record("train demo", "g" + i, "r" + i);
    }
    assertEquals(Optional.empty(), StageLedger.open(file).earlier("train demo", "g0"), "at most HISTORY kept");
    assertEquals(Optional.of("r5"), StageLedger.open(file).earlier("train demo", "g5"));
  }
}
