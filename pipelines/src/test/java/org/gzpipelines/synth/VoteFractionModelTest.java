package org.gzpipelines.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.gzpipelines.synth.SyntheticGalaxy.Morphology;
import org.gzpipelines.taxonomy.Answer;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.gzpipelines.taxonomy.Question;
import org.junit.jupiter.api.Test;

class VoteFractionModelTest {

  private static final int GALAXIES = 5000;

  private static List<SyntheticGalaxy> galaxies(double mergerFraction) {
    MorphologySampler sampler = new MorphologySampler();
    boolean[] merger = SyntheticDataset.chooseMergers(7, GALAXIES, mergerFraction);
    List<SyntheticGalaxy> list = new ArrayList<>();
    for (int i = 0; i < GALAXIES; i++) {
      list.add(sampler.sample(100_000 + i, Seeds.mix(11, i), merger[i]));
    }
    return list;
  }

  @Test
  void everyDecisionTreeSumHoldsAndValuesAreFractions() {
    for (double noise : new double[] {0, 0.1, 0.5, 1}) {
      VoteFractionModel model = new VoteFractionModel(noise);
      for (SyntheticGalaxy g : galaxies(0.1)) {
        float[] labels = model.votes(g);
        assertEquals(GalaxyZooTaxonomy.ANSWER_COUNT, labels.length);
        for (float v : labels) {
          assertTrue(v >= 0 && v <= 1, "value " + v + " outside [0, 1] for " + g);
        }
        for (Question q : GalaxyZooTaxonomy.questions()) {
          assertEquals(q.expectedSum(labels), q.sum(labels), 1e-5, q.label() + " sum for " + g + " noise " + noise);
        }
      }
    }
  }

  @Test
  void withoutNoiseTheLabelsFollowTheTruePathExactly() {
    VoteFractionModel model = new VoteFractionModel(0);
    for (SyntheticGalaxy g : galaxies(0.1)) {
      float[] labels = model.votes(g);
      int[] path = VoteFractionModel.truePath(g);
      for (Question q : GalaxyZooTaxonomy.questions()) {
        // A question is on the path where its parent answer was given (Q1 and Q6 always are).
        boolean reached = q.parent().map(a -> labels[a.index()] == 1f).orElse(true);
        for (int i = 0; i < q.size(); i++) {
          float expected = reached && path[q.number() - 1] == i ? 1f : 0f;
          assertEquals(expected, labels[q.firstIndex() + i], q.answers().get(i).id() + " of " + g);
        }
      }
      assertEquals(g.merger() ? 1f : 0f, labels[answer("odd: merger")]);
    }
  }

  @Test
  void labelsFavourTheDrawnMorphology() {
    VoteFractionModel model = new VoteFractionModel(0.1);
    double[] mergerVotes = new double[2];
    int[] mergerCounts = new int[2];
    double smoothQ11 = 0;
    double diskQ11 = 0;
    double spiralQ41 = 0;
    double smoothQ41 = 0;
    int smooth = 0;
    int disks = 0;
    int spirals = 0;
    for (SyntheticGalaxy g : galaxies(0.1)) {
      float[] labels = model.votes(g);
      int m = g.merger() ? 1 : 0;
      mergerVotes[m] += labels[answer("odd: merger")];
      mergerCounts[m]++;
      if (g.morphology() == Morphology.SMOOTH) {
        smooth++;
        smoothQ11 += labels[answer("smooth")];
        smoothQ41 += labels[answer("spiral: yes")];
      } else if (g.morphology() == Morphology.DISK) {
        disks++;
        diskQ11 += labels[answer("smooth")];
        if (g.spiral()) {
          spirals++;
          spiralQ41 += labels[answer("spiral: yes")];
        }
      }
    }
    double mergerMean = mergerVotes[1] / mergerCounts[1];
    double otherMean = mergerVotes[0] / mergerCounts[0];
    assertTrue(mergerMean > 0.5 && otherMean < 0.05 && mergerMean > otherMean + 0.4,
        "Class8.6 means: mergers " + mergerMean + ", others " + otherMean);
    assertTrue(spiralQ41 / spirals > smoothQ41 / smooth + 0.5, "Class4.1: spirals vs ellipticals");
    assertTrue(smoothQ11 / smooth > diskQ11 / disks + 0.5, "Class1.1: ellipticals vs disks");
  }

  private static int answer(String name) {
    Answer a = GalaxyZooTaxonomy.answer(name);
    return a.index();
  }
}
