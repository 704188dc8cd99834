package org.gzpipelines.explore;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.gzpipelines.beam.MergingCombineFn;
import org.gzpipelines.explore.ExploreResults.TreeDeviation;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.gzpipelines.taxonomy.Question;

/**
 * How well the labels satisfy the decision tree: per question, the distribution of (sum of its
 * answers minus its parent's value). One combiner: moments and a self-widening histogram
 * ({@link DoublingHistogram}) per question, so the range fits the data (1e-8 on real labels, O(1)
 * on random ones) in one pass with O(11 x bins) state.
 */
public final class TreeConsistency
    extends PTransform<PCollection<LabelVector>, PCollectionView<TreeConsistency.Deviations>> {

  /** Histogram bins over [-range, range]. */
  public static final int BINS = 40;
  /** Smallest histogram half-width: below float rounding of a vote fraction. */
  static final double MIN_RANGE = 1e-8;
  /** |deviation| up to this counts as satisfying the tree. */
  public static final double TOLERANCE = 1e-3;

  @Override
  public PCollectionView<Deviations> expand(PCollection<LabelVector> labels) {
    return labels.apply("DeviationHistograms", Combine.globally(MergingCombineFn.of(
        Accumulator::new, Accumulator::add, Accumulator::merge, SerializedCoder.of(Accumulator.class),
        Accumulator::result, SerializedCoder.of(Deviations.class))).asSingletonView());
  }

  /** Deviation of each question for one label vector. */
  static double[] deviations(float[] labels) {
    List<Question> questions = GalaxyZooTaxonomy.questions();
    double[] d = new double[questions.size()];
    for (int q = 0; q < d.length; q++) {
      d[q] = questions.get(q).sum(labels) - questions.get(q).expectedSum(labels);
    }
    return d;
  }

  /** The result: one entry per question. */
  public static final class Deviations implements Serializable {
    private static final long serialVersionUID = 1L;
    public final ArrayList<TreeDeviation> questions = new ArrayList<>();
  }

  /** Moments, histogram and within-tolerance count per question. */
  static final class Accumulator implements Serializable {
    private static final long serialVersionUID = 1L;
    final StreamingMoments[] moments = new StreamingMoments[GalaxyZooTaxonomy.QUESTION_COUNT];
    final DoublingHistogram[] histograms = new DoublingHistogram[GalaxyZooTaxonomy.QUESTION_COUNT];
    final long[] within = new long[GalaxyZooTaxonomy.QUESTION_COUNT];

    Accumulator() {
      for (int q = 0; q < moments.length; q++) {
        moments[q] = StreamingMoments.withoutHistogram();
        histograms[q] = new DoublingHistogram(MIN_RANGE, BINS);
      }
    }

    void add(LabelVector v) {
      double[] d = deviations(v.labels());
      for (int q = 0; q < d.length; q++) {
        moments[q].add(d[q]);
        histograms[q].add(d[q]);
        if (Math.abs(d[q]) <= TOLERANCE) {
          within[q]++;
        }
      }
    }

    void merge(Accumulator a) {
      for (int q = 0; q < moments.length; q++) {
        moments[q].merge(a.moments[q]);
        histograms[q].merge(a.histograms[q]);
        within[q] += a.within[q];
      }
    }

    Deviations result() {
      Deviations out = new Deviations();
      for (Question question : GalaxyZooTaxonomy.questions()) {
        int q = question.number() - 1;
        StreamingMoments m = moments[q];
        TreeDeviation t = new TreeDeviation();
        t.question = question.number();
        t.text = question.text();
        t.parent = question.parent().map(a -> a.id() + " (" + a.name() + ")").orElse("1");
        t.count = m.count();
        t.mean = m.mean();
        t.std = Math.sqrt(m.variance());
        t.maxAbs = m.count() == 0 ? 0 : Math.max(Math.abs(m.min()), Math.abs(m.max()));
        t.withinTolerance = m.count() == 0 ? Double.NaN : (double) within[q] / m.count();
        t.histogramLo = -histograms[q].range();
        t.histogramHi = histograms[q].range();
        t.histogram = histograms[q].fractions();
        out.questions.add(t);
      }
      return out;
    }
  }
}
