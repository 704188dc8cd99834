package org.gzpipelines.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The config of a tiny `gz run` study for tests: 200 synthetic 128-pixel galaxies, ingested at 32,
 * a small CNN trained on 256 images (seconds), extending the checkout's configs/base.yaml.
 */
public final class TinyStudy {
  private TinyStudy() {}

  /**
   * Writes {@code <dir>/<name>.yaml} with the given stages and CNN filters (e.g. "[8, 16]"), plus
   * any further lines (a sweep: section, say); returns the file. The tiny settings live in {@code
   * <dir>/<name>-tiny.yaml}, which the file extends, so further lines may also override them
   * ({@code synth: {test-count: 100}}).
   */
  public static Path config(Path dir, String name, String experiment, String stages, String filters,
      String... moreLines) throws IOException {
    Path base = Path.of("").toAbsolutePath().getParent().resolve("configs/base.yaml");
    Path tiny = Files.writeString(dir.resolve(name + "-tiny.yaml"), String.join("\n", List.of(
        "extends: " + base,
        "synth: {out: " + dir.resolve("synth") + ", count: 200, test-count: 0, size: 128}",
        // Any image size (0), so that its real-sample stage takes the bundled 424-pixel JPEGs (at another
        // scale than its 128-pixel training images: a tiny model's AUC means nothing either way).
        "ingest: {out: " + dir.resolve("data") + ", expected-size: 0, crop-size: 64, output-size: 32}",
        "train:",
        "  run-name: tiny",
        "  custom-cnn: {filters: " + filters + ", dense: [16]}",
        "  max-images: 256",
        "  eval-every: 128",
        "")));
    List<String> lines = new ArrayList<>(List.of(
        "extends: " + tiny,
        "experiment: " + experiment,
        "stages: " + stages));
    lines.addAll(List.of(moreLines));
    lines.add("");
    return Files.writeString(dir.resolve(name + ".yaml"), String.join("\n", lines));
  }
}
