package org.gzpipelines.explore;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.gzpipelines.explore.ExploreResults.LabelSummary;
import org.gzpipelines.schemas.Split;
import org.gzpipelines.taxonomy.Answer;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;

/**
 * Per-label moments, zero fraction, median and histogram of the 37 vote fractions, over all
 * labelled galaxies and per split ("all", "train", "val"): one {@link StreamingMoments} per label
 * inside a {@link Combine.CombineFn}, so the state is O(37 x bins) per key whatever the data size.
 */
public final class LabelStatistics
    extends PTransform<PCollection<LabelVector>, PCollectionView<Map<String, LabelStatistics.Summaries>>> {

  /** Fine bins for the median (resolution 1/200 = 0.005 of a vote fraction). */
  static final int FINE_BINS = 200;
  /** Bins shown in the report's histograms (bin width 0.05). */
  public static final int DISPLAY_BINS = 20;
  /** A histogram peak must hold at least this fraction of the galaxies to count. */
  static final double PEAK_MIN_MASS = 0.05;
  /** Two peaks are separate modes only if the histogram dips below this share of the lower one between them. */
  static final double PEAK_VALLEY_RATIO = 0.5;

  @Override
  public PCollectionView<Map<String, Summaries>> expand(PCollection<LabelVector> labels) {
    return labels
        .apply("KeyBySplit", ParDo.of(new KeyBySplit()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), LabelVector.LabelVectorCoder.of()))
        .apply("Moments", Combine.perKey(new MomentsFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializedCoder.of(Summaries.class)))
        .apply(View.asMap());
  }

  /** The 37 label summaries of one key, in Kaggle order. */
  public static final class Summaries implements Serializable {
    private static final long serialVersionUID = 1L;
    public final ArrayList<LabelSummary> labels;

    Summaries(List<LabelSummary> labels) {
      this.labels = new ArrayList<>(labels);
    }
  }

  /** Each vector counts once for "all" and once for its own split. */
  static final class KeyBySplit extends DoFn<LabelVector, KV<String, LabelVector>> {
    @ProcessElement
    public void process(@Element LabelVector v, OutputReceiver<KV<String, LabelVector>> out) {
      out.output(KV.of(ExploreResults.ALL, v));
      if (v.split() == Split.TRAIN) {
        out.output(KV.of(ExploreResults.TRAIN, v));
      } else if (v.split() == Split.VAL) {
        out.output(KV.of(ExploreResults.VAL, v));
      }
    }
  }

  /** One {@link StreamingMoments} per label. */
  public static final class MomentsFn extends Combine.CombineFn<LabelVector, StreamingMoments[], Summaries> {
    @Override
    public StreamingMoments[] createAccumulator() {
      StreamingMoments[] acc = new StreamingMoments[GalaxyZooTaxonomy.ANSWER_COUNT];
      for (int i = 0; i < acc.length; i++) {
        acc[i] = new StreamingMoments(0, 1, FINE_BINS);
      }
      return acc;
    }

    @Override
    public StreamingMoments[] addInput(StreamingMoments[] acc, LabelVector input) {
      for (int i = 0; i < acc.length; i++) {
        acc[i].add(input.labels()[i]);
      }
      return acc;
    }

    @Override
    public StreamingMoments[] mergeAccumulators(Iterable<StreamingMoments[]> accumulators) {
      StreamingMoments[] merged = createAccumulator();
      for (StreamingMoments[] acc : accumulators) {
        for (int i = 0; i < merged.length; i++) {
          merged[i].merge(acc[i]);
        }
      }
      return merged;
    }

    @Override
    public Summaries extractOutput(StreamingMoments[] acc) {
      List<LabelSummary> out = new ArrayList<>();
      for (Answer answer : GalaxyZooTaxonomy.answers()) {
        out.add(summarise(answer, acc[answer.index()]));
      }
      return new Summaries(out);
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<StreamingMoments[]> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<LabelVector> inputCoder) {
      return SerializedCoder.of(StreamingMoments[].class);
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<Summaries> getDefaultOutputCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<LabelVector> inputCoder) {
      return SerializedCoder.of(Summaries.class);
    }
  }

  static LabelSummary summarise(Answer answer, StreamingMoments m) {
    LabelSummary s = new LabelSummary();
    s.id = answer.id();
    s.name = answer.name();
    s.count = m.count();
    s.mean = m.mean();
    s.std = Math.sqrt(m.variance());
    s.median = m.median();
    s.min = m.min();
    s.max = m.max();
    s.zeroFraction = m.zeroFraction();
    s.skewness = m.skewness();
    s.excessKurtosis = m.excessKurtosis();
    s.bimodalityCoefficient = m.bimodalityCoefficient();
    s.outOfRange = m.outOfRange();
    s.histogram = m.fractions(DISPLAY_BINS);
    s.peaks = countPeaks(s.histogram);
    s.multimodal = s.peaks >= 2;
    return s;
  }

  /**
   * Counts the modes of a histogram: a peak is a local maximum (edge bins count, with their one
   * neighbour) holding at least {@link #PEAK_MIN_MASS} of the galaxies; a peak only counts as a
   * new mode if the histogram dips below {@link #PEAK_VALLEY_RATIO} of the smaller of it and the
   * previous mode somewhere in between. So one noisy hump is one mode, and a pile at 0 plus a
   * hump at 0.8 is two.
   */
  static int countPeaks(double[] h) {
    List<Integer> peaks = new ArrayList<>();
    for (int i = 0; i < h.length; i++) {
      double left = i > 0 ? h[i - 1] : Double.NEGATIVE_INFINITY;
      double right = i < h.length - 1 ? h[i + 1] : Double.NEGATIVE_INFINITY;
      if (h[i] >= PEAK_MIN_MASS && h[i] > left && h[i] >= right) {
        peaks.add(i);
      }
    }
    int modes = 0;
    int previous = -1;
    for (int p : peaks) {
      if (previous < 0) {
        modes = 1;
        previous = p;
        continue;
      }
      double valley = Double.POSITIVE_INFINITY;
      for (int i = previous + 1; i < p; i++) {
        valley = Math.min(valley, h[i]);
      }
      if (valley < PEAK_VALLEY_RATIO * Math.min(h[previous], h[p])) {
        modes++;
        previous = p;
      } else if (h[p] > h[previous]) {
        previous = p;
      }
    }
    return modes;
  }
}
