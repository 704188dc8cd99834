package org.gzpipelines.explore;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.CombineWithContext;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.gzpipelines.explore.ExploreResults.TreeDeviation;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.gzpipelines.taxonomy.Question;

/**
 * How well the labels satisfy the decision tree: per question, the distribution of (sum of its
 * answers minus its parent's value). Two small combiners: the largest |deviation| per question
 * first, so the histogram's range fits the data (1e-7 on real labels, O(1) on random ones),
 * then the moments and histogram over that range, reading the first as a side input.
 */
public final class TreeConsistency
    extends PTransform<PCollection<LabelVector>, PCollectionView<Iterable<TreeConsistency.Deviations>>> {

  /** Histogram bins over [-range, range]; odd, so 0 sits in the middle of a bin. */
  public static final int BINS = 41;
  /** |deviation| up to this counts as satisfying the tree. */
  public static final double TOLERANCE = 1e-3;

  @Override
  public PCollectionView<Iterable<Deviations>> expand(PCollection<LabelVector> labels) {
    PCollectionView<double[]> maxAbs = labels.apply("MaxAbsDeviation",
        Combine.globally(new MaxAbsFn()).asSingletonView());
    // withoutDefaults: a combiner reading a side input has no value for an empty input, so the
    // view is empty (not a default) when there are no labelled galaxies.
    return labels
        .apply("DeviationHistograms",
            Combine.globally(new HistogramFn(maxAbs)).withSideInputs(maxAbs).withoutDefaults())
        .apply(org.apache.beam.sdk.transforms.View.asIterable());
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

  static final class MaxAbsFn extends Combine.CombineFn<LabelVector, double[], double[]> {
    @Override
    public double[] createAccumulator() {
      return new double[GalaxyZooTaxonomy.QUESTION_COUNT];
    }

    @Override
    public double[] addInput(double[] acc, LabelVector v) {
      double[] d = deviations(v.labels());
      for (int q = 0; q < acc.length; q++) {
        acc[q] = Math.max(acc[q], Math.abs(d[q]));
      }
      return acc;
    }

    @Override
    public double[] mergeAccumulators(Iterable<double[]> accumulators) {
      double[] merged = createAccumulator();
      for (double[] a : accumulators) {
        for (int q = 0; q < merged.length; q++) {
          merged[q] = Math.max(merged[q], a[q]);
        }
      }
      return merged;
    }

    @Override
    public double[] extractOutput(double[] acc) {
      return acc;
    }

    @Override
    public Coder<double[]> getAccumulatorCoder(CoderRegistry registry, Coder<LabelVector> inputCoder) {
      return SerializedCoder.of(double[].class);
    }

    @Override
    public Coder<double[]> getDefaultOutputCoder(CoderRegistry registry, Coder<LabelVector> inputCoder) {
      return SerializedCoder.of(double[].class);
    }
  }

  /** Moments, histogram and within-tolerance count per question. */
  static final class Accumulator implements Serializable {
    private static final long serialVersionUID = 1L;
    final StreamingMoments[] moments = new StreamingMoments[GalaxyZooTaxonomy.QUESTION_COUNT];
    final long[] within = new long[GalaxyZooTaxonomy.QUESTION_COUNT];

    Accumulator(double[] maxAbs) {
      for (int q = 0; q < moments.length; q++) {
        moments[q] = new StreamingMoments(-range(maxAbs[q]), range(maxAbs[q]), BINS);
      }
    }

    /** A symmetric range just wider than the largest deviation (never zero-width). */
    static double range(double maxAbs) {
      return Math.max(maxAbs * 1.001, 1e-9);
    }
  }

  static final class HistogramFn
      extends CombineWithContext.CombineFnWithContext<LabelVector, Accumulator, Deviations> {
    private final PCollectionView<double[]> maxAbs;

    HistogramFn(PCollectionView<double[]> maxAbs) {
      this.maxAbs = maxAbs;
    }

    @Override
    public Accumulator createAccumulator(CombineWithContext.Context c) {
      return new Accumulator(c.sideInput(maxAbs));
    }

    @Override
    public Accumulator addInput(Accumulator acc, LabelVector v, CombineWithContext.Context c) {
      double[] d = deviations(v.labels());
      for (int q = 0; q < d.length; q++) {
        acc.moments[q].add(d[q]);
        if (Math.abs(d[q]) <= TOLERANCE) {
          acc.within[q]++;
        }
      }
      return acc;
    }

    @Override
    public Accumulator mergeAccumulators(Iterable<Accumulator> accumulators, CombineWithContext.Context c) {
      Accumulator merged = createAccumulator(c);
      for (Accumulator a : accumulators) {
        for (int q = 0; q < merged.moments.length; q++) {
          merged.moments[q].merge(a.moments[q]);
          merged.within[q] += a.within[q];
        }
      }
      return merged;
    }

    @Override
    public Deviations extractOutput(Accumulator acc, CombineWithContext.Context c) {
      Deviations out = new Deviations();
      for (Question question : GalaxyZooTaxonomy.questions()) {
        int q = question.number() - 1;
        StreamingMoments m = acc.moments[q];
        TreeDeviation t = new TreeDeviation();
        t.question = question.number();
        t.text = question.text();
        t.parent = question.parent().map(a -> a.id() + " (" + a.name() + ")").orElse("1");
        t.count = m.count();
        t.mean = m.mean();
        t.std = Math.sqrt(m.variance());
        t.maxAbs = m.count() == 0 ? 0 : Math.max(Math.abs(m.min()), Math.abs(m.max()));
        t.withinTolerance = m.count() == 0 ? Double.NaN : (double) acc.within[q] / m.count();
        t.histogramLo = m.lo();
        t.histogramHi = m.hi();
        t.histogram = m.fractions(BINS);
        out.questions.add(t);
      }
      return out;
    }

    @Override
    public Coder<Accumulator> getAccumulatorCoder(CoderRegistry registry, Coder<LabelVector> inputCoder) {
      return SerializedCoder.of(Accumulator.class);
    }

    @Override
    public Coder<Deviations> getDefaultOutputCoder(CoderRegistry registry, Coder<LabelVector> inputCoder) {
      return SerializedCoder.of(Deviations.class);
    }
  }
}
