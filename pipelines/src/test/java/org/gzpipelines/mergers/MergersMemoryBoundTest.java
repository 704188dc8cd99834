package org.gzpipelines.mergers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.gzpipelines.model.data.Manifest;
import org.gzpipelines.model.data.Preprocessing;
import org.gzpipelines.predict.PickedImages;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Prediction;
import org.gzpipelines.schemas.Split;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.gzpipelines.testing.Coders;
import org.gzpipelines.testing.TinyModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gz mergers' graph keeps the heap bounded as {@code predict.PredictImagesMemoryBoundTest} says: no
 * step passes on images, not even the merger candidates' (each work unit writes the images of its
 * own picks, at most {@link CandidateSelection#TOP} + {@link CandidateSelection#BELOW}, which must
 * include every galaxy a selection over all images would pick).
 */
class MergersMemoryBoundTest {

  @Test
  void noStepPassesOnImages(@TempDir Path tmp) throws Exception {
    for (Path images : Coders.rawInputs(tmp)) {
      Pipeline p = MergersPipeline.test(PipelineOptionsFactory.create(), new MergersPipeline.Inputs(
          Coders.UNLOADED_MODEL, images, Preprocessing.DEFAULTS, 64, 0.4, 42, tmp.resolve("out")));
      assertEquals(List.of(), Coders.imageCarriers(p), images.getFileName().toString());
    }
  }

  /**
   * On an ingested folder, mergers read each shard inside the call that predicts its records: no
   * step passes on records.
   */
  @Test
  void ingestedRecordsStayInsideTheCallThatPredictsThem(@TempDir Path tmp) throws Exception {
    TinyModel tiny = TinyModel.shared();
    Preprocessing stored = Manifest.read(tiny.data()).parameters().preprocessing(); // as the tiny model's
    Pipeline test = MergersPipeline.test(PipelineOptionsFactory.create(), new MergersPipeline.Inputs(
        Coders.UNLOADED_MODEL, tiny.data(), stored, 64, 0.4, 42, tmp.resolve("out")));
    assertEquals(List.of(), Coders.imageCarriers(test));
    Pipeline validation = MergersPipeline.validation(PipelineOptionsFactory.create(), Coders.UNLOADED_MODEL,
        tiny.data(), 64, tmp.resolve("out"));
    assertEquals(List.of(), Coders.imageCarriers(validation));
  }

  /** The units' preselections keep the images of every galaxy the picks over all predictions show, and no more than the picks. */
  @Test
  void preselectingPerUnitKeepsEveryGalaxyTheWholeInputPicks() {
    Random random = new Random(7);
    List<Prediction> all = new ArrayList<>();
    for (long id = 1; id <= 3000; id++) {
      all.add(prediction(id, random.nextFloat() * 0.6f));
    }
    CandidateSelection whole = new CandidateSelection(0.4, 42);
    all.forEach(whole::offer);
    assertEquals(CandidateSelection.TOP, whole.top().size(), "enough predicted mergers in the input");
    assertEquals(CandidateSelection.BELOW, whole.below().size(), "enough galaxies below the threshold");
    Set<Long> kept = new TreeSet<>();
    for (int from = 0; from < all.size(); from += 256) {
      PickedImages pre = new PickedImages(CandidateSelection.perUnit(0.4, 42).create());
      all.subList(from, Math.min(all.size(), from + 256)).forEach(p -> pre.offer(p, galaxy(p.getGalaxyId())));
      List<Galaxy> unit = new ArrayList<>();
      pre.drainTo(unit::add);
      assertTrue(unit.size() <= CandidateSelection.TOP + CandidateSelection.BELOW, "a unit keeps " + unit.size());
      unit.forEach(g -> kept.add(g.getGalaxyId()));
    }
    assertTrue(kept.containsAll(whole.ids()), "kept " + kept.size() + " images, picked " + whole.ids());
  }

  private static Prediction prediction(long id, float merger) {
    List<Float> values = new ArrayList<>();
    for (int i = 0; i < GalaxyZooTaxonomy.ANSWER_COUNT; i++) {
      values.add(i == Candidate.MERGER ? merger : 0.5f);
    }
    return Prediction.newBuilder().setGalaxyId(id).setPredictions(values).setLabels(null).setSplit(Split.TEST)
        .setModelRunId("m").build();
  }

  private static Galaxy galaxy(long id) {
    return Galaxy.newBuilder().setGalaxyId(id).setLabels(null).setHeight(1).setWidth(1).setChannels(3)
        .setPixels(java.nio.ByteBuffer.wrap(new byte[3])).setSplit(Split.TEST).setRotationDegrees(0).setFlipped(false)
        .setCopyIndex(0).build();
  }
}
