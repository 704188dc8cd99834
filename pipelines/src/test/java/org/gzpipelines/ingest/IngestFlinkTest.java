package org.gzpipelines.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.gzpipelines.model.data.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same ingest on an embedded Flink cluster gives exactly the Direct runner's records. */
class IngestFlinkTest {

  @Test
  void flinkLocalMatchesDirectRunnerForEveryInputForm(@TempDir Path tmp) throws Exception {
    Fixtures.Input raw = Fixtures.writeInput(tmp, 24, 424);
    List<Path> archives = raw.writeArchives("images");

    IngestRuns.ingest(raw.images(), raw.labels(), tmp.resolve("direct"), "--augment", "1");
    List<String> expected = Fixtures.fingerprint(tmp.resolve("direct"));
    Manifest direct = Manifest.read(tmp.resolve("direct"));

    for (Path input : List.of(raw.images(), archives.get(0), archives.get(1))) {
      Path out = tmp.resolve("flink-" + input.getFileName());
      Manifest flink = IngestRuns.ingest(input, raw.labels(), out, "--augment", "1", "--runner", "flink-local", "--parallelism", "2")
          .result().manifest();
      assertEquals(expected, Fixtures.fingerprint(out), input.getFileName().toString());
      assertEquals(direct.records(), flink.records());
      assertEquals(direct.maxMeanDifference(), flink.maxMeanDifference(), 1e-9);
    }
  }
}
