package org.gzpipelines.mergers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.values.KV;
import org.gzpipelines.model.data.Preprocessing;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Prediction;
import org.gzpipelines.schemas.Split;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.gzpipelines.testing.Coders;
import org.gzpipelines.testing.TinyModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gz mergers' graph keeps the heap bounded as {@code predict.PredictImagesMemoryBoundTest} says,
 * with one exception: the merger candidates, at most {@link CandidateSelection#TOP} + {@link
 * CandidateSelection#BELOW} a work unit, which must select exactly what a selection over all
 * images would.
 */
class MergersMemoryBoundTest {

  @Test
  void mergersPassOnOnlyThePreselectedCandidates(@TempDir Path tmp) throws Exception {
    for (Path images : Coders.rawInputs(tmp)) {
      Pipeline p = MergersPipeline.build(PipelineOptionsFactory.create(), new MergersPipeline.Inputs(
          Coders.UNLOADED_MODEL, images, null, Preprocessing.DEFAULTS, 64, 0.4, 42, tmp.resolve("out")));
      List<String> carriers = Coders.imageCarriers(p);
      assertFalse(carriers.isEmpty(), "the candidates carry their images");
      for (String carrier : carriers) {
        assertTrue(carrier.startsWith("Test images/ReadPreprocessPredict") || carrier.startsWith("Merger candidates/"),
            images.getFileName() + ": " + carrier);
      }
    }
  }

  /**
   * On an ingested folder, mergers read each shard inside the call that predicts its records: no
   * step passes on records but the candidates.
   */
  @Test
  void ingestedRecordsStayInsideTheCallThatPredictsThem(@TempDir Path tmp) {
    TinyModel tiny = TinyModel.shared();
    Pipeline mergers = MergersPipeline.build(PipelineOptionsFactory.create(), new MergersPipeline.Inputs(
        Coders.UNLOADED_MODEL, tiny.data(), tiny.data(), Preprocessing.DEFAULTS, 64, 0.4, 42, tmp.resolve("out")));
    for (String carrier : Coders.imageCarriers(mergers)) {
      assertTrue(carrier.startsWith("Test images/ReadPreprocessPredict") || carrier.startsWith("Merger candidates/"),
          "mergers: " + carrier);
    }
  }

  /** Per-unit preselection then a selection over its results = the selection over all pairs. */
  @Test
  void preselectingPerUnitSelectsWhatTheWholeInputWould() {
    Random random = new Random(7);
    List<KV<Prediction, Galaxy>> all = new ArrayList<>();
    for (long id = 1; id <= 3000; id++) {
      all.add(KV.of(prediction(id, random.nextFloat() * 0.6f), galaxy(id)));
    }
    Set<Long> whole = preselected(all);
    List<KV<Prediction, Galaxy>> units = new ArrayList<>();
    for (int from = 0; from < all.size(); from += 256) {
      List<KV<Prediction, Galaxy>> unit = all.subList(from, Math.min(all.size(), from + 256));
      CandidateSelection.Preselection pre = new CandidateSelection.Preselection(0.4, 42);
      unit.forEach(kv -> pre.offer(kv.getKey(), kv.getValue()));
      List<KV<Prediction, Galaxy>> kept = new ArrayList<>();
      pre.drainTo(kept::add);
      assertTrue(kept.size() <= CandidateSelection.TOP + CandidateSelection.BELOW, "a unit passes on " + kept.size());
      units.addAll(kept);
    }
    assertEquals(CandidateSelection.TOP + CandidateSelection.BELOW, whole.size(), "enough of both kinds in the input");
    assertEquals(whole, preselected(units));
  }

  private static Set<Long> preselected(List<KV<Prediction, Galaxy>> pairs) {
    CandidateSelection.Preselection pre = new CandidateSelection.Preselection(0.4, 42);
    pairs.forEach(kv -> pre.offer(kv.getKey(), kv.getValue()));
    Set<Long> ids = new TreeSet<>();
    pre.drainTo(kv -> ids.add(kv.getKey().getGalaxyId()));
    return ids;
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
