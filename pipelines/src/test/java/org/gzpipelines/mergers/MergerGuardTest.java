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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.gzpipelines.beam.AvroFiles;
import org.gzpipelines.model.testing.GalaxyShardWriter;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Prediction;
import org.gzpipelines.schemas.Split;
import org.gzpipelines.testing.MergerSky;
import org.gzpipelines.testing.TinyModel;
import org.gzpipelines.tracking.RunSummary;
import org.gzpipelines.tracking.TrackedRun;
import org.gzpipelines.tracking.Tracking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mergers stage's domain-shift guard and merger candidates, run for real (the shared tiny CNN,
 * the Direct runner): silent on test images drawn like the validation split, loud on test images
 * with another sky; the candidate CSV and galleries hold the galaxies the ranking says.
 */
class MergerGuardTest {

  private record Run(MergerMeasurement.Result result, RunSummary summary, String console) {}

  private static Run measure(Path tmp, MergersParams p) throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
    try (Tracking tracking = Tracking.offline(tmp.resolve("runs"))) {
      TrackedRun run = tracking.startRun("gz-test", "mergers-guard");
      MergerMeasurement.Result r = MergersPipelineTest.measure(tracking, run, p);
      return new Run(r, tracking.getRun(r.runId()), console.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(previous);
      System.out.print(console.toString(StandardCharsets.UTF_8));
    }
  }

  @Test
  void unshiftedTestImagesPassTheGuardAndGiveTheCandidatesForTheEye(@TempDir Path tmp) throws Exception {
    MergersParams p = MergersPipelineTest.params(tmp.resolve("out"));
    Run run = measure(tmp, p);
    MergerMeasurement.Result r = run.result();

    DomainShift shift = r.domainShift().orElseThrow();
    assertFalse(shift.detected(), "no shift: " + shift.shifted());
    assertEquals(TinyModel.TEST, shift.testGalaxies());
    // Validation galaxies drawn at the test's estimated fraction: all of one stratum, part of the other.
    assertEquals(r.estimate().corrected().value(), shift.mergerFraction(), 1e-9);
    assertTrue(shift.validationGalaxies() > TinyModel.VAL / 2 && shift.validationGalaxies() <= TinyModel.VAL,
        "validation galaxies: " + shift.validationGalaxies());
    assertEquals(DomainShiftCheck.ANSWERS.size() + ImageStatistics.QUANTITIES.size(), shift.comparisons().size());
    assertTrue(r.reliability().reliable(), r.reliability().reasons().toString());
    assertEquals("none", run.summary().tags().get("gz.mergers.domain_shift"));
    assertEquals(0.0, run.summary().latestMetrics().get("domain_shift"));
    assertEquals(1.0, run.summary().latestMetrics().get("merger_fraction_corrected_reliable"));
    assertTrue(run.console().contains("domain-shift check: no shift"), run.console());
    assertTrue(run.console().contains("the model calls a galaxy a merger at predicted Class8.6 >= 0.400 (the"
        + " threshold; --decision auto would call at "), run.console());
    assertTrue(run.console().contains(String.format(java.util.Locale.ROOT, "where it calls as many of the %,d"
        + " validation galaxies mergers as the", TinyModel.VAL)), run.console());
    assertTrue(Files.readString(r.report().html()).contains("(the threshold; --decision auto would call at "),
        "the report says where auto would call too");
    assertFalse(run.console().contains("UNRELIABLE"), run.console());
    // The corrected fraction at the other decisions: on the console, in the report, as two metrics.
    assertTrue(run.console().contains("corrected at other decisions (predicted Class8.6): 0.10: "), run.console());
    assertTrue(run.console().contains("0.40 (in use): "), run.console());
    assertTrue(Files.readString(r.report().html()).contains("The corrected fraction at other decisions"));
    assertEquals(r.sensitivity().lowest().getAsDouble(),
        run.summary().latestMetrics().get("merger_fraction_corrected_min_over_decisions"), 1e-9);
    // A progress bar for the validation pass, then one for the test images.
    String console = run.console();
    int validated = console.indexOf(String.format(java.util.Locale.ROOT, "[========================] %d/%d images",
        TinyModel.VAL, TinyModel.VAL));
    int decided = console.indexOf("the model calls a galaxy a merger at");
    int tested = console.indexOf(String.format(java.util.Locale.ROOT, "[========================] %d/%d images",
        TinyModel.TEST, TinyModel.TEST));
    assertTrue(validated >= 0 && validated < decided && decided < tested, console);

    // The CSV: every predicted merger, ranked by Class8.6, then Class6.1.
    double decision = r.estimate().criterion().decision();
    CandidateGallery.Written g = r.candidates();
    List<String> lines = Files.readAllLines(g.csv());
    assertEquals("GalaxyID,Class8.6,Class6.1,rank", lines.get(0));
    List<String[]> rows = lines.subList(1, lines.size()).stream().map(l -> l.split(",")).toList();
    assertEquals(r.estimate().predictedMergers(), rows.size(), "one row per predicted merger");
    assertTrue(rows.size() > CandidateSelection.TOP, "enough mergers to fill the gallery: " + rows.size());
    for (int i = 0; i < rows.size(); i++) {
      String[] row = rows.get(i);
      assertEquals(i + 1, Integer.parseInt(row[3]));
      assertTrue(Double.parseDouble(row[1]) >= decision, "a candidate: " + lines.get(i + 1));
      if (i > 0) {
        String[] prev = rows.get(i - 1);
        // The CSV holds the model's floats exactly, so its own numbers show the order.
        float d = Float.parseFloat(prev[1]) - Float.parseFloat(row[1]);
        assertTrue(d > 0 || d == 0 && Float.parseFloat(prev[2]) >= Float.parseFloat(row[2]),
            "ranked: " + lines.get(i) + " before " + lines.get(i + 1));
      }
    }

    // The galleries show the CSV's top 50, in its order, from the images the work units kept, and a
    // sample of the band below.
    assertEquals(rows.subList(0, CandidateSelection.TOP).stream().map(row -> Long.parseLong(row[0])).toList(), g.topIds());
    Set<Long> kept = new HashSet<>();
    for (Path part : Files.list(tmp.resolve("out").resolve(MergersPipeline.CANDIDATES)).toList()) {
      AvroFiles.read(part, Galaxy.class).forEach(image -> kept.add(image.getGalaxyId()));
    }
    assertTrue(kept.containsAll(g.topIds()), "the top candidates' images were kept");
    long band = 0;
    for (Path part : Files.list(tmp.resolve("out").resolve(MergersPipeline.TEST_PREDICTIONS))
        .filter(f -> f.toString().endsWith(".avro")).toList()) {
      for (Prediction q : AvroFiles.read(part, Prediction.class)) {
        float v = q.getPredictions().get(Candidate.MERGER);
        band += v >= decision - CandidateSelection.BAND && v < decision ? 1 : 0;
      }
    }
    assertEquals(band, g.belowBand());
    assertEquals(Math.min(band, CandidateSelection.BELOW), g.belowShown());
    for (Path png : new Path[] {g.top(), g.below()}) {
      assertNotNull(ImageIO.read(png.toFile()), png + " decodes");
    }
    assertEquals(0, g.wholeFrames(), "an ingested folder has no original frames: the tiles are the model's crops");
    String html = Files.readString(r.report().html());
    assertTrue(html.contains("Merger candidates for the eye") && html.contains(CandidateGallery.CSV));
    assertTrue(html.contains("<details><summary>Every quantity (40)"), "no shift: the comparisons folded");
    assertEquals(4, html.split("data:image/png;base64,", -1).length - 1, "two charts and two galleries");
    assertTrue(Files.isRegularFile(tmp.resolve("runs").resolve(r.runId()).resolve("artifacts/report")
        .resolve(CandidateGallery.CSV)), "the CSV is logged with the report");
  }

  @Test
  void aTestSetWithAnotherMergerFractionIsNoDomainShift(@TempDir Path tmp) throws Exception {
    // The same generator, the validation split's sky, but 3% mergers instead of 30%: the merger
    // answers and the mean brightness (a merger is two blobs) move, yet this is the very change the
    // correction is built to measure, so the guard compares against a validation sample drawn at the
    // test's estimated merger fraction and stays silent.
    List<Galaxy> galaxies = new MergerSky(TinyModel.SIZE).galaxies(Split.TEST, TinyModel.TEST, 0.03, 9);
    Path test = tmp.resolve("fewer-mergers").resolve("test");
    Files.createDirectories(test);
    try (DataFileWriter<Galaxy> w = new DataFileWriter<>(new SpecificDatumWriter<>(Galaxy.class))) {
      w.create(Galaxy.getClassSchema(), test.resolve("part-00000-of-00001.avro").toFile());
      for (Galaxy g : galaxies) {
        w.append(Galaxy.newBuilder(g).setLabels(null).build());
      }
    }
    GalaxyShardWriter.writeManifest(tmp.resolve("fewer-mergers"), "fewer-mergers", TinyModel.SIZE,
        Map.of("TEST", (long) TinyModel.TEST));
    MergersParams p = MergersPipelineTest.params(tmp.resolve("out"));
    p.images = tmp.resolve("fewer-mergers").toString();
    Run run = measure(tmp, p);
    MergerMeasurement.Result r = run.result();

    DomainShift shift = r.domainShift().orElseThrow();
    assertFalse(shift.detected(), "a prevalence change is no shift: " + shift.shifted());
    assertEquals(r.estimate().corrected().value(), shift.mergerFraction(), 1e-9);
    // The same check against the validation split as it is does see the change of prevalence.
    DomainShift unconditioned = new DomainShiftCheck(0.01, 5000, 42).check(tmp.resolve("out"),
        MergerCriterion.mergerVote(p.threshold), Double.NaN).orElseThrow();
    assertTrue(unconditioned.detected(), "the prevalence change is visible: " + unconditioned.bySignificance());
    assertTrue(shift.method().contains("merger fraction"), shift.method());
    assertTrue(r.estimate().corrected().high() < 0.15, "the fraction is measured low: " + r.estimate().corrected());
    assertTrue(r.reliability().reliable(), r.reliability().reasons().toString());
    assertFalse(run.console().contains("UNRELIABLE"), run.console());
  }

  @Test
  void testImagesWithAnotherSkyFireTheGuard(@TempDir Path tmp) throws Exception {
    // The tiny model's kind of galaxies on a brighter, noisier sky, as an ingested test split: what
    // a model trained on a clean synthetic sky meets in real survey images.
    List<Galaxy> galaxies = MergerSky.onANoisierSky(
        new MergerSky(TinyModel.SIZE).galaxies(Split.TEST, 300, TinyModel.TEST_MERGER_FRACTION, 9), 3);
    Path test = tmp.resolve("shifted").resolve("test");
    Files.createDirectories(test);
    try (DataFileWriter<Galaxy> w = new DataFileWriter<>(new SpecificDatumWriter<>(Galaxy.class))) {
      w.create(Galaxy.getClassSchema(), test.resolve("part-00000-of-00001.avro").toFile());
      for (Galaxy g : galaxies) {
        w.append(g);
      }
    }
    GalaxyShardWriter.writeManifest(tmp.resolve("shifted"), "shifted", TinyModel.SIZE, Map.of("TEST", 300L));
    MergersParams p = MergersPipelineTest.params(tmp.resolve("out"));
    p.images = tmp.resolve("shifted").toString();
    Run run = measure(tmp, p);
    MergerMeasurement.Result r = run.result();

    DomainShift shift = r.domainShift().orElseThrow();
    assertTrue(shift.detected());
    List<String> keys = shift.shifted().stream().map(DomainShift.Comparison::key).toList();
    assertTrue(keys.contains("image.sky-level") && keys.contains("image.sky-noise"), keys.toString());
    assertFalse(r.reliability().reliable());
    assertTrue(r.reliability().reasons().stream().anyMatch(s -> s.startsWith("domain shift") && s.contains("image.sky-noise")),
        r.reliability().reasons().toString());

    assertTrue(run.console().contains("DOMAIN SHIFT"), run.console());
    assertTrue(run.console().contains("image.sky-noise (sky noise"), "names the shifted quantity: " + run.console());
    assertTrue(run.console().matches("(?s).*corrected .*UNRELIABLE.*"), run.console());
    String html = Files.readString(r.report().html());
    assertTrue(html.contains("The corrected merger fraction is unreliable"));
    assertTrue(html.contains("<b>No merger rate:</b> the corrected fraction is marked unreliable above"), html);
    assertFalse(html.contains("implies a merger rate of"), "no rate from an unreliable fraction: " + html);
    assertTrue(html.contains("Domain shift: " + shift.shiftedByKind() + " differ"), html);
    assertTrue(html.contains("<details open><summary>Every quantity (40)"), "a shift: the comparisons shown");
    assertTrue(shift.shiftedByKind().matches("[1-3] of 3 image statistics \\(image\\..*"), shift.shiftedByKind());
    assertTrue(run.console().contains("the images themselves differ") && run.console().contains("--validation"),
        run.console());
    assertTrue(run.summary().tags().get("gz.mergers.domain_shift").contains("image.sky-noise"));
    assertEquals("false", run.summary().tags().get("gz.mergers.corrected_reliable"));
    assertEquals(1.0, run.summary().latestMetrics().get("domain_shift"));
    assertEquals(0.0, run.summary().latestMetrics().get("merger_fraction_corrected_reliable"));
  }
}
