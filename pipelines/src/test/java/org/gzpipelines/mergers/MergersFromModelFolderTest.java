package org.gzpipelines.mergers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.gzpipelines.beam.AvroFiles;
import org.gzpipelines.cli.Gz;
import org.gzpipelines.ingest.ImageOps;
import org.gzpipelines.model.predict.SavedModel;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Prediction;
import org.gzpipelines.testing.TinyModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A saved model carries its preprocessing: {@code gz mergers --model <model folder>} prepares raw
 * images from the model folder alone, with the training data gone.
 */
class MergersFromModelFolderTest {

  @Test
  void measuresRawImagesWithNothingButTheModelFolder(@TempDir Path tmp) throws Exception {
    TinyModel model = TinyModel.shared();
    // The model folder alone, its training data elsewhere and gone.
    Path modelDir = tmp.resolve("model");
    copyTree(model.ref().modelDir(), modelDir);
    Path config = modelDir.resolve(SavedModel.CONFIG_FILE);
    String yaml = Files.readString(config);
    // A shared model folder names its training data without this machine's folders (.../data): gone.
    assertFalse(yaml.contains(model.data().toString()), "no absolute path in the shared config: " + yaml);
    assertTrue(yaml.contains(".../" + model.data().getFileName()), yaml);
    SavedModel.Info info = SavedModel.readInfo(modelDir);
    assertNotNull(info.preprocessing(), "the saved model records its preprocessing");
    assertEquals(TinyModel.SIZE, info.preprocessing().outputSize());

    // Raw test images: the ingested test split written back as JPEGs.
    Path images = tmp.resolve("images");
    Files.createDirectories(images);
    int written = 0;
    try (Stream<Path> shards = Files.list(model.data().resolve("test"))) {
      for (Path shard : shards.sorted().toList()) {
        for (Galaxy g : AvroFiles.read(shard, Galaxy.class)) {
          ImageIO.write(ImageOps.toImage(g), "jpg", images.resolve(g.getGalaxyId() + ".jpg").toFile());
          written++;
        }
      }
    }

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream previous = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Gz.commandLine().execute("mergers", "--model", modelDir.toString(), "--images", images.toString(),
          "--output", tmp.resolve("out").toString());
    } finally {
      System.setErr(previous);
    }
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("no labelled validation data"),
        "says why the corrected fraction is undefined: " + err);
    long predictions = 0;
    try (Stream<Path> parts = Files.list(tmp.resolve("out").resolve(MergersPipeline.TEST_PREDICTIONS))) {
      for (Path part : parts.filter(p -> p.toString().endsWith(".avro")).toList()) {
        predictions += AvroFiles.read(part, Prediction.class).size();
      }
    }
    assertEquals(written, predictions, "one prediction per raw image");

    // One model's mergers runs over several samples are told apart in MLflow's run list by the sample.
    MergersParams sample = new MergersParams();
    sample.images = images.toString();
    assertEquals("mergers images", new MergerMeasurement(null, MergerMeasurement.Settings.defaults())
        .runName("mergers", sample));
    sample.decision = "auto";
    assertEquals("mergers images decision auto", new MergerMeasurement(null, MergerMeasurement.Settings.defaults())
        .runName("mergers", sample));
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
