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
    List<Long> ids = Fixtures.ids(24);
    Path folder = tmp.resolve("images");
    Fixtures.writeImages(folder, ids, 424);
    Path labels = tmp.resolve("labels.csv");
    Fixtures.writeLabels(labels, ids);
    Fixtures.zip(folder, tmp.resolve("images.zip"), "images");
    Fixtures.tarGz(folder, tmp.resolve("images.tar.gz"), "images");

    IngestRuns.ingest(folder, labels, tmp.resolve("direct"), "--augment", "1");
    List<String> expected = Fixtures.fingerprint(tmp.resolve("direct"));
    Manifest direct = Manifest.read(tmp.resolve("direct"));

    for (Path input : new Path[] {folder, tmp.resolve("images.zip"), tmp.resolve("images.tar.gz")}) {
      Path out = tmp.resolve("flink-" + input.getFileName());
      Manifest flink = IngestRuns.ingest(input, labels, out, "--augment", "1", "--runner", "flink-local", "--parallelism", "2")
          .result().manifest();
      assertEquals(expected, Fixtures.fingerprint(out), input.getFileName().toString());
      assertEquals(direct.records(), flink.records());
      assertEquals(direct.maxMeanDifference(), flink.maxMeanDifference(), 1e-9);
    }
  }
}
