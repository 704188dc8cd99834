package org.gzpipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gzpipelines.synth.SynthOptions;
import org.gzpipelines.synth.SyntheticDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ExploreCommandTest {
  @TempDir Path tmp;

  @Test
  void aFolderWithoutShardsIsAUserErrorNamingTheFix() throws Exception {
    Files.createDirectories(tmp.resolve("empty/train"));
    CommandLine cli = Gz.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("explore", "--data", tmp.resolve("empty").toString());
    assertEquals(UserErrorHandler.USER_ERROR, code);
    assertTrue(err.toString().contains("no ingested data at"), err.toString());
    assertTrue(err.toString().contains("gz ingest"), err.toString());
  }

  @Test
  void rawImagesAndLabelsAreIngestedFirstThenExplored() throws Exception {
    SyntheticDataset.Result raw =
        SyntheticDataset.generate(SynthOptions.defaults().withCount(60).withSeed(3), tmp.resolve("synth"));
    int code = Gz.commandLine().execute("explore", "--images", raw.imagesDir().toString(),
        "--labels", raw.labelsCsv().toString(), "--sample-size", "9");
    assertEquals(0, code);
    Path ingested = raw.imagesDir().resolveSibling(raw.imagesDir().getFileName() + "-ingested");
    assertTrue(Files.isRegularFile(ingested.resolve("manifest.json")), "the raw input was ingested");
    assertTrue(Files.isRegularFile(ingested.resolve("explore/report.html")), "and explored");
  }
}
