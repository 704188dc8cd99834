package org.gzpipelines.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.gzpipelines.model.data.Preprocessing;
import org.gzpipelines.model.predict.SavedModel;
import org.gzpipelines.testing.TinyModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real sample reads its images as every command does (recursively; .jpg, .jpeg, .png in any
 * case) and leaves out, counted and named, an image the model cannot take as it is, rather than
 * scoring it at another scale.
 */
class RealSampleImagesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readsEveryImageFileAndLeavesOutThoseOfAnotherSize(@TempDir Path tmp) throws Exception {
    Path bundled = Path.of("").toAbsolutePath().getParent().resolve("samples/gz2-real");
    Path sample = tmp.resolve("sample");
    List<Path> spirals = firstImages(bundled.resolve("spirals"), 4);
    Path s = Files.createDirectories(sample.resolve("spirals/night1/field2"));
    Files.copy(spirals.get(0), sample.resolve("spirals").resolve(spirals.get(0).getFileName()));
    Files.copy(spirals.get(1), s.resolve(spirals.get(1).getFileName()));
    Files.copy(spirals.get(2), sample.resolve("spirals").resolve(id(spirals.get(2)) + ".JPG"));
    BufferedImage full = ImageIO.read(spirals.get(3).toFile());
    ImageIO.write(full, "png", sample.resolve("spirals").resolve(id(spirals.get(3)) + ".png").toFile());
    BufferedImage small = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
    small.getGraphics().drawImage(full.getScaledInstance(256, 256, Image.SCALE_AREA_AVERAGING), 0, 0, null);
    ImageIO.write(small, "jpg", sample.resolve("spirals/999000111.jpg").toFile());
    Files.createDirectories(sample.resolve("non_spirals"));
    for (Path p : firstImages(bundled.resolve("non_spirals"), 3)) {
      Files.copy(p, sample.resolve("non_spirals").resolve(p.getFileName()));
    }

    RealSample.Summary summary = RealSample.score(kaggleSized(tmp.resolve("model")), sample, 0.4, 64, tmp.resolve("out"));

    assertEquals(4, summary.all().spirals(), "nested, upper-case .JPG and .png files are read too");
    assertEquals(3, summary.all().others());
    assertEquals(1, summary.unusable(), "the 256-pixel image is left out, not scored at another scale");
    assertTrue(summary.unusableExamples().get(0).startsWith("spirals/999000111.jpg: wrong-image-shape: 256x256 pixels,"
        + " expected 424x424"), summary.unusableExamples().toString());
    assertTrue(summary.toString().contains("1 image(s) left out"), summary.toString());
  }

  /**
   * The shared tiny model (32-pixel inputs), recorded as made from Kaggle's 424-pixel images:
   * its 207-pixel centre resized to 32, as a model trained on an ingest of them would be.
   */
  private static Path kaggleSized(Path dir) throws Exception {
    TinyModel model = TinyModel.shared();
    Path trained = model.ref().modelDir();
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(trained)) {
      for (Path f : files.toList()) {
        Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
    ObjectNode info = (ObjectNode) JSON.readTree(dir.resolve(SavedModel.INFO_FILE).toFile());
    info.set("preprocessing", JSON.valueToTree(Preprocessing.of(424, 207, TinyModel.SIZE)));
    JSON.writeValue(dir.resolve(SavedModel.INFO_FILE).toFile(), info);
    return dir;
  }

  private static List<Path> firstImages(Path folder, int n) throws Exception {
    try (Stream<Path> s = Files.list(folder)) {
      return s.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(n).toList();
    }
  }

  private static String id(Path jpeg) {
    return jpeg.getFileName().toString().replace(".jpg", "");
  }
}
