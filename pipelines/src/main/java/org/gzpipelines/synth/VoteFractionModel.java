package org.gzpipelines.synth;

import java.util.List;
import java.util.SplittableRandom;
import org.gzpipelines.synth.SyntheticGalaxy.Morphology;
import org.gzpipelines.taxonomy.Answer;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.gzpipelines.taxonomy.Question;

/**
 * Turns a galaxy's true morphology into the 37 Kaggle vote fractions by simulating a panel of
 * volunteers who walk the Galaxy Zoo 2 decision tree and sometimes answer wrongly.
 *
 * <p>At each question a volunteer gives the true answer with probability {@code 1 - e} and
 * otherwise a confusable one (neighbouring arm counts, "disturbed" for a merger, "smooth" for a
 * faint disk), where {@code e} grows with the {@code noise} option, the question's difficulty and
 * a per-galaxy difficulty. A volunteer who strays off the true path answers later questions from
 * a typical-answer prior. The fraction of volunteers reaching each question who gave each
 * answer is its conditional probability; multiplying down the tree gives values that satisfy the
 * Kaggle normalisation exactly (Q1 and Q6 sum to 1, every other question to its parent answer).
 * With {@code noise = 0} the labels are exactly 1 along the true path and 0 elsewhere.
 */
public final class VoteFractionModel {

  /** Relative difficulty of questions 1..11 (multiplies the confusion rate). */
  private static final double[] DIFFICULTY = {1.5, 0.5, 1.5, 1.2, 2.5, 0.8, 1.8, 2.0, 2.0, 3.0, 3.0};
  /** Faint disks are often called smooth: Q1 is harder for disks. */
  private static final double DISK_Q1_DIFFICULTY = 2.5;

  /** What volunteers answer at a question whose true answer is undefined (they strayed there). */
  private static final double[][] PRIOR = {
    {0.40, 0.55, 0.05},
    {0.15, 0.85},
    {0.20, 0.80},
    {0.40, 0.60},
    {0.15, 0.50, 0.30, 0.05},
    {0.10, 0.90},
    {0.30, 0.55, 0.15},
    {0.12, 0.08, 0.20, 0.15, 0.30, 0.08, 0.07},
    {0.50, 0.10, 0.40},
    {0.30, 0.45, 0.25},
    {0.10, 0.30, 0.10, 0.05, 0.05, 0.40},
  };

  /** Which wrong answers of Q8 are confused with which (ring, lens, disturbed, irregular, other, merger, dust). */
  private static final double[][] Q8_CONFUSION = {
    {0, 0.5, 0.1, 0.1, 0.4, 0.05, 0.05},
    {0.5, 0, 0.1, 0.1, 0.4, 0.05, 0.05},
    {0.05, 0.05, 0, 0.8, 0.4, 1.0, 0.05},
    {0.05, 0.05, 0.8, 0, 0.4, 0.3, 0.05},
    {0.2, 0.2, 0.3, 0.3, 0, 0.2, 0.2},
    {0.05, 0.05, 1.0, 0.3, 0.3, 0, 0.05},
    {0.05, 0.05, 0.1, 0.1, 0.4, 0.05, 0},
  };
  private static final double[][] Q1_CONFUSION = {{0, 1, 0.05}, {1, 0, 0.05}, {0.6, 0.4, 0}};

  private static final int MIN_VOLUNTEERS = 20;
  private static final int MAX_VOLUNTEERS = 70;

  private final double noise;

  /** @param noise the volunteer confusion level, 0 (perfect volunteers) to 1 */
  public VoteFractionModel(double noise) {
    if (!(noise >= 0 && noise <= 1)) {
      throw new IllegalArgumentException("noise must be within [0, 1], not " + noise);
    }
    this.noise = noise;
  }

  /** The 37 vote fractions, in Kaggle column order, for this galaxy (deterministic in its seed). */
  public float[] votes(SyntheticGalaxy galaxy) {
    SplittableRandom r = new SplittableRandom(Seeds.mix(galaxy.seed(), Seeds.VOTES));
    List<Question> questions = GalaxyZooTaxonomy.questions();
    int[] truth = truePath(galaxy);
    double galaxyDifficulty = noise * (0.4 + 1.2 * r.nextDouble());
    double[][] answerProbabilities = new double[questions.size()][];
    for (Question q : questions) {
      int n = q.number();
      double difficulty = n == 1 && galaxy.morphology() != Morphology.SMOOTH ? DISK_Q1_DIFFICULTY : DIFFICULTY[n - 1];
      answerProbabilities[n - 1] = answerProbabilities(n, truth[n - 1], Math.min(0.9, galaxyDifficulty * difficulty));
    }

    // Simulate the panel: counts of each answer and of volunteers reaching each question.
    int volunteers = MIN_VOLUNTEERS + r.nextInt(MAX_VOLUNTEERS - MIN_VOLUNTEERS + 1);
    int[] answered = new int[GalaxyZooTaxonomy.ANSWER_COUNT];
    int[] reached = new int[questions.size()];
    for (int v = 0; v < volunteers; v++) {
      int next = 1;
      while (next != 0) {
        Question q = questions.get(next - 1);
        reached[next - 1]++;
        Answer a = q.answers().get(MorphologySampler.pick(r, answerProbabilities[next - 1]));
        answered[a.index()]++;
        // Stars and artifacts end the classification before Q6; Kaggle still normalises Q6 to 1.
        next = a.next();
      }
    }

    double[] values = new double[GalaxyZooTaxonomy.ANSWER_COUNT];
    for (Question q : questions) {
      double parent = q.parent().map(a -> values[a.index()]).orElse(1.0);
      double[] p = answerProbabilities[q.number() - 1];
      for (int i = 0; i < q.size(); i++) {
        int index = q.firstIndex() + i;
        double conditional = reached[q.number() - 1] > 0
            ? (double) answered[index] / reached[q.number() - 1]
            : p[i];
        values[index] = parent * conditional;
      }
    }
    float[] labels = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      labels[i] = (float) values[i];
    }
    return labels;
  }

  /** Per question (index = number - 1), the 0-based true answer, or -1 where it is off the true path. */
  static int[] truePath(SyntheticGalaxy g) {
    int[] t = new int[GalaxyZooTaxonomy.QUESTION_COUNT];
    java.util.Arrays.fill(t, -1);
    t[0] = switch (g.morphology()) {
      case SMOOTH -> 0;
      case DISK, EDGE_ON_DISK -> 1;
      case STAR_OR_ARTIFACT -> 2;
    };
    t[5] = g.oddFeature() == SyntheticGalaxy.OddFeature.NONE ? 1 : 0;
    if (g.oddFeature() != SyntheticGalaxy.OddFeature.NONE) {
      t[7] = g.oddFeature().ordinal() - 1;
    }
    switch (g.morphology()) {
      case SMOOTH -> t[6] = g.roundness().ordinal();
      case EDGE_ON_DISK -> {
        t[1] = 0;
        t[8] = g.edgeOnBulge().ordinal();
      }
      case DISK -> {
        t[1] = 1;
        t[2] = g.bar() ? 0 : 1;
        t[3] = g.spiral() ? 0 : 1;
        t[4] = g.bulge().ordinal();
        if (g.spiral()) {
          t[9] = g.armWinding().ordinal();
          t[10] = g.armCount() - 1;
        }
      }
      case STAR_OR_ARTIFACT -> { }
    }
    return t;
  }

  /** A volunteer's answer probabilities at question {@code n} given the truth and confusion rate. */
  private static double[] answerProbabilities(int n, int truth, double confusion) {
    double[] prior = PRIOR[n - 1];
    if (truth < 0) {
      return prior;
    }
    int k = prior.length;
    double[] wrong = new double[k];
    for (int j = 0; j < k; j++) {
      if (j != truth) {
        wrong[j] = switch (n) {
          case 1 -> Q1_CONFUSION[truth][j];
          case 8 -> Q8_CONFUSION[truth][j];
          // Ordered answers: neighbours are confused most; "can't tell" (Q11 answer 6) always tempts.
          case 5, 7, 10 -> StrictMath.exp(-Math.abs(truth - j));
          case 11 -> j == 5 ? 1.0 : StrictMath.exp(-Math.abs(truth - j));
          default -> 1.0;
        };
      }
    }
    double total = 0;
    for (double w : wrong) {
      total += w;
    }
    double[] p = new double[k];
    for (int j = 0; j < k; j++) {
      p[j] = j == truth ? 1 - confusion : confusion * wrong[j] / total;
    }
    return p;
  }
}
