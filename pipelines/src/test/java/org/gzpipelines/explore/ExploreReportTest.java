package org.gzpipelines.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExploreReportTest {
  static final List<String> FIGURES = List.of("sample_grid", "before_after", "label_histograms", "prototypes",
      "correlation", "question_correlations", "tree_consistency", "train_vs_val");

  @TempDir Path tmp;

  @Test
  void rendersEveryFigureAndEmbedsThemInOneHtmlFile() throws Exception {
    Path data = tmp.resolve("data");
    TestDatasets.writeIngested(data, 120, 40, 20, 1, 2, 32, 2, 11);
    TestDatasets.writeOriginals(data, 100000, 180, 32);
    // Kept under target/ so the figures can be looked at after the build.
    Path out = Path.of("target", "explore-report-test");
    Explore.Outcome outcome = Explore.explore(ExplorePipelineTest.params(data, out), org.gzpipelines.run.PipelineRunner.directChecked());

    Map<String, Path> figures = outcome.report().figures();
    assertEquals(FIGURES.size(), figures.size(), figures.keySet().toString());
    String html = Files.readString(outcome.report().html());
    for (String name : FIGURES) {
      Path png = figures.get(name);
      assertNotNull(png, name);
      BufferedImage image = ImageIO.read(png.toFile());
      assertNotNull(image, name + " decodes as PNG");
      assertTrue(image.getWidth() > 500 && image.getHeight() > 300, name);
      String base64 = Base64.getEncoder().encodeToString(Files.readAllBytes(png));
      assertTrue(html.contains("src=\"data:image/png;base64," + base64 + "\""), name + " embedded in the HTML");
    }
    // Descriptive names, never bare Kaggle ids alone.
    assertTrue(html.contains("odd: merger"));
    assertTrue(html.contains("Largest difference in means"));
    // The manifest names the originals folder: the before/after figure shows real originals.
    assertTrue(outcome.results().notes.stream().noneMatch(n -> n.startsWith("Before/after")),
        outcome.results().notes.toString());
    assertEquals(128, outcome.results().shapes.rawWidth);
    assertEquals(16.0, outcome.results().memory.reductionFactor, 1e-9);
    // Numbers carry the digits they have: "16x", not "16.0x".
    assertTrue(html.contains("<td>16x</td>"), "reduction factor written as 16x");
    // The crop the before/after figure outlines comes from the manifest.
    assertEquals(64, outcome.results().shapes.cropSize);
    ExploreResults reread = ExploreResults.read(outcome.resultsFile());
    assertEquals(outcome.results().correlationCount, reread.correlationCount);
  }
}
