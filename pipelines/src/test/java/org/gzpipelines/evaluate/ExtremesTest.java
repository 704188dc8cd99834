package org.gzpipelines.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.gzpipelines.predict.PickedImages;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Prediction;
import org.gzpipelines.schemas.Split;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.junit.jupiter.api.Test;

/** The extremes of every label: what a per-label top 5 over all galaxies gives, and what each work unit keeps for them. */
class ExtremesTest {

  @Test
  void ranksTheHighestOfEachLabelAndOrdering() {
    Random random = new Random(3);
    List<Prediction> all = new ArrayList<>();
    for (long id = 1; id <= 2000; id++) {
      all.add(prediction(id, random));
    }
    int[] labels = {0, 14, 35};
    Extremes whole = new Extremes(labels);
    all.forEach(whole::offer);
    assertEquals(2 * labels.length, whole.lines().size(), "one line per label and ordering");

    for (Extremes.RankedLine line : whole.lines()) {
      int answer = Arrays.stream(labels)
          .filter(j -> line.key().equals(Labels.key(j, Labels.BY_TRUTH)) || line.key().equals(Labels.key(j, Labels.BY_PREDICTION)))
          .findFirst().orElseThrow();
      boolean byTruth = line.key().equals(Labels.key(answer, Labels.BY_TRUTH));
      List<Ranked> expected = all.stream()
          .map(p -> {
            float truth = p.getLabels().get(answer);
            float predicted = p.getPredictions().get(answer);
            return new Ranked(p.getGalaxyId(), truth, predicted, byTruth ? truth : predicted);
          })
          .sorted(new Ranked.ByScore().reversed())
          .limit(EvaluatePipeline.EXTREMES)
          .toList();
      assertEquals(expected, line.galaxies(), line.key() + ": the highest scores, highest first");
    }
  }

  /**
   * Each work unit's preselection keeps the images of only its own extremes (at most the capacity,
   * whatever the unit's size), and those include every galaxy the whole input ranks; unlabelled
   * galaxies are never kept.
   */
  @Test
  void unitPreselectionsKeepTheImagesOfEveryGalaxyTheWholeInputRanks() {
    Random random = new Random(5);
    int[] labels = {0, 14, 35};
    Extremes whole = new Extremes(labels);
    Set<Long> kept = new HashSet<>();
    for (long first = 1; first <= 3000; first += 1000) {
      PickedImages unit = new PickedImages(Extremes.perUnit(labels).create());
      for (long id = first; id < first + 1000; id++) {
        Prediction p = prediction(id, random);
        whole.offer(p);
        unit.offer(p, Galaxy.newBuilder().setGalaxyId(id).setHeight(1).setWidth(1).setChannels(1)
            .setPixels(ByteBuffer.wrap(new byte[] {(byte) id})).setSplit(Split.VAL).build());
        unit.offer(Prediction.newBuilder(p).setGalaxyId(-id).setLabels(null).build(), null);
      }
      List<Galaxy> drained = new ArrayList<>();
      unit.drainTo(drained::add);
      assertTrue(drained.size() <= 2 * labels.length * EvaluatePipeline.EXTREMES, "at most the unit's extremes");
      for (Galaxy g : drained) {
        assertTrue(g.getGalaxyId() > 0, "labelled galaxies only");
        assertEquals((byte) g.getGalaxyId(), g.getPixels().get(0), "each galaxy with its own image");
        kept.add(g.getGalaxyId());
      }
    }
    assertTrue(kept.containsAll(whole.ids()), "kept " + kept + ", ranked " + whole.ids());
  }

  private static Prediction prediction(long id, Random random) {
    List<Float> predicted = new ArrayList<>();
    List<Float> truth = new ArrayList<>();
    for (int i = 0; i < GalaxyZooTaxonomy.ANSWER_COUNT; i++) {
      predicted.add(random.nextFloat());
      truth.add(random.nextFloat());
    }
    return Prediction.newBuilder().setGalaxyId(id).setPredictions(predicted).setLabels(truth).setSplit(Split.VAL)
        .setModelRunId("m").build();
  }
}
