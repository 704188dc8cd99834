package org.gzpipelines.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gzpipelines.cli.Gz;
import org.gzpipelines.model.data.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * One config model: every key of the {@code ingest:} section can be set from a config, and {@code
 * gz run} on it writes exactly what {@code gz ingest} writes with the same flags.
 */
class IngestConfigTest {

  @Test
  void gzRunWithEveryIngestKeyEqualsGzIngestWithTheSameFlags(@TempDir Path tmp) throws Exception {
    Fixtures.Input input = Fixtures.writeInput(tmp, 30, 96);
    Path images = input.images();
    Path labels = input.labels();
    // Every key, each away from its default.
    String[][] keys = {
      {"expected-size", "96"}, {"crop-size", "64"}, {"output-size", "16"}, {"train-fraction", "0.6"},
      {"split-seed", "7"}, {"augment", "1"}, {"augment-seed", "3"}, {"records-per-shard", "10"}, {"shards", "3"},
      {"images-per-bundle", "7"},
    };
    Path viaRun = tmp.resolve("via-run");
    StringBuilder yaml = new StringBuilder("experiment: gz-ingest-config-test\nstages: [ingest]\ningest:\n")
        .append("  images: ").append(images).append('\n')
        .append("  labels: ").append(labels).append('\n')
        .append("  out: ").append(viaRun).append('\n');
    Path viaIngest = tmp.resolve("via-ingest");
    List<String> args = new java.util.ArrayList<>(List.of("ingest", "--images", images.toString(),
        "--labels", labels.toString(), "--out", viaIngest.toString()));
    for (String[] kv : keys) {
      yaml.append("  ").append(kv[0]).append(": ").append(kv[1]).append('\n');
      args.add("--" + kv[0]);
      args.add(kv[1]);
    }
    Path config = tmp.resolve("ingest.yaml");
    Files.writeString(config, yaml.toString());

    assertEquals(0, gz("run", "--config", config.toString()));
    assertEquals(0, gz(args.toArray(String[]::new)));

    assertEquals(Fixtures.fingerprint(viaIngest), Fixtures.fingerprint(viaRun));
    Manifest a = Manifest.read(viaIngest);
    Manifest b = Manifest.read(viaRun);
    assertEquals(a.parameters(), b.parameters());
    assertEquals(new Manifest.Parameters(true, 96, 64, 16, "area-average", 0.6, 7, 1, 3, 10, 3), a.parameters());
    assertEquals(a.records(), b.records());
    try (var shards = Files.list(viaRun.resolve("train"))) {
      assertEquals(3, shards.filter(f -> f.toString().endsWith(".avro")).count(), "shards: 3 per split");
    }
  }

  @Test
  void aFlagOverridesTheConfigAndABadValueNamesTheKey(@TempDir Path tmp) throws Exception {
    Path config = tmp.resolve("c.yaml");
    Files.writeString(config, "ingest:\n  crop-size: 50\n  output-size: 60\n");
    StringWriter err = new StringWriter();
    CommandLine cl = Gz.commandLine();
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute("ingest", "--config", config.toString(), "--images", tmp.toString());
    assertEquals(2, code);
    assertTrue(err.toString().contains("ingest.crop-size"), err.toString());
    assertTrue(err.toString().contains(config.toString()), "names the file: " + err);
  }

  @Test
  void numbersOutOfRangeOrNotWholeNameTheKeyTheFileAndWhatIsAllowed(@TempDir Path tmp) throws Exception {
    Path config = tmp.resolve("numbers.yaml");
    Files.writeString(config, "ingest:\n  augment: 1e9\nmergers:\n  batch-size: 1e9\nevaluate:\n  batch-size: 32.5\n");
    String[][] cases = {
      {"ingest", "'ingest.augment': must be from 0 to 100, was 1000000000"},
      {"mergers", "'mergers.batch-size': must be from 1 to 4096, was 1000000000"},
      {"evaluate", "'evaluate.batch-size' must be an integer, e.g. 64, not 32.5"},
    };
    for (String[] c : cases) {
      StringWriter err = new StringWriter();
      CommandLine cl = Gz.commandLine();
      cl.setErr(new PrintWriter(err, true));
      assertEquals(2, cl.execute(c[0], "--config", config.toString()), c[0] + ": " + err);
      assertTrue(err.toString().contains(c[1]) && err.toString().contains(config.toString()), c[0] + ": " + err);
    }
  }

  private static int gz(String... args) {
    return Gz.commandLine().execute(args);
  }
}
