package org.gzpipelines.mergers;

import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import com.google.common.collect.MinMaxPriorityQueue;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.Keys;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.gzpipelines.predict.PredictImages;
import org.gzpipelines.predict.SeededSample;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Prediction;

/**
 * Picks, inside the pipeline, the test galaxies an astronomer looks at: the {@link #TOP} predicted
 * mergers ranked by {@link Candidate#ORDER}, and a seeded random {@link #BELOW} of the galaxies just
 * below the threshold ({@code threshold - BAND <= Class8.6 < threshold}), which shows what the
 * criterion misses. Top keeps at most that many (prediction, image) pairs per accumulator, so only
 * the chosen galaxies' pixels ever reach a file, whatever the number of images:
 *
 * <pre>
 * {dir}/top-predictions.avro, {dir}/top-galaxies.avro
 * {dir}/below-predictions.avro, {dir}/below-galaxies.avro
 * </pre>
 */
final class CandidateSelection extends PTransform<PCollection<KV<Prediction, Galaxy>>, PDone> {

  static final int TOP = 50;
  static final int BELOW = 25;
  /** Width of the band below the threshold, in vote fraction. */
  static final double BAND = 0.1;

  static final String TOP_NAME = "top";
  static final String BELOW_NAME = "below";

  private static final Comparator<Prediction> RANKED = (Comparator<Prediction> & Serializable) (a, b) ->
      Candidate.ORDER.compare(Candidate.of(a), Candidate.of(b));

  private final double threshold;
  private final long seed;
  private final String dir;

  CandidateSelection(double threshold, long seed, String dir) {
    this.threshold = threshold;
    this.seed = seed;
    this.dir = dir;
  }

  static String predictionsFile(String name) {
    return name + "-predictions.avro";
  }

  static String galaxiesFile(String name) {
    return name + "-galaxies.avro";
  }

  @Override
  public PDone expand(PCollection<KV<Prediction, Galaxy>> pairs) {
    double t = threshold; // the lambdas below capture numbers, not this transform
    double floor = threshold - BAND;
    write(pairs
        .apply("Predicted mergers", Filter.by((KV<Prediction, Galaxy> kv) -> merger(kv) >= t))
        .apply("Top candidates", Top.of(TOP, new ByPrediction(RANKED))), TOP_NAME);
    write(pairs
        .apply("Just below the threshold", Filter.by((KV<Prediction, Galaxy> kv) -> merger(kv) >= floor
            && merger(kv) < t))
        .apply("Random below", Top.of(BELOW, new ByPrediction(new SeededSample(seed)))), BELOW_NAME);
    return PDone.in(pairs.getPipeline());
  }

  private static double merger(KV<Prediction, Galaxy> kv) {
    return kv.getKey().getPredictions().get(Candidate.MERGER);
  }

  private void write(PCollection<List<KV<Prediction, Galaxy>>> chosen, String name) {
    PCollection<KV<Prediction, Galaxy>> pairs = chosen.apply(name + " pairs", Flatten.iterables());
    pairs.apply(name + " predictions", Keys.create())
        .apply("Write " + name + " predictions",
            AvroIO.write(Prediction.class).to(dir + "/" + predictionsFile(name)).withoutSharding());
    pairs.apply(name + " images", Values.create())
        .apply("Write " + name + " images", AvroIO.write(Galaxy.class).to(dir + "/" + galaxiesFile(name)).withoutSharding());
  }

  /**
   * What one work unit can contribute to the selection: its {@link #TOP} best predicted mergers and
   * its first {@link #BELOW} galaxies below the threshold, by the same orders and bands as {@link
   * #expand}. The selection over every unit's preselection equals the selection over all pairs, so
   * a unit passes on at most TOP + BELOW images whatever its size (Guava's bounded queue drops the
   * worst when full).
   */
  static final class Preselection implements PredictImages.Candidates {
    private final double threshold;
    private final MinMaxPriorityQueue<KV<Prediction, Galaxy>> top =
        MinMaxPriorityQueue.orderedBy(new ByPrediction(RANKED).reversed()).maximumSize(TOP).create();
    private final MinMaxPriorityQueue<KV<Prediction, Galaxy>> below;

    Preselection(double threshold, long seed) {
      this.threshold = threshold;
      this.below = MinMaxPriorityQueue.orderedBy(new ByPrediction(new SeededSample(seed)).reversed())
          .maximumSize(BELOW).create();
    }

    @Override
    public void offer(Prediction prediction, Galaxy galaxy) {
      KV<Prediction, Galaxy> pair = KV.of(prediction, galaxy);
      double m = merger(pair);
      if (m >= threshold) {
        top.add(pair);
      } else if (m >= threshold - BAND) {
        below.add(pair);
      }
    }

    /** Hands over the preselected pairs and forgets them. */
    @Override
    public void drainTo(Consumer<KV<Prediction, Galaxy>> out) {
      top.forEach(out);
      below.forEach(out);
      top.clear();
      below.clear();
    }
  }

  /** Each work unit's {@link Preselection} for {@code threshold} and {@code seed}, for {@link PredictImages#withCandidates}. */
  static PredictImages.Candidates.PerUnit preselection(double threshold, long seed) {
    return () -> new Preselection(threshold, seed);
  }

  /** Orders (prediction, image) pairs by their predictions. */
  private record ByPrediction(Comparator<Prediction> order)
      implements Comparator<KV<Prediction, Galaxy>>, Serializable {
    @Override
    public int compare(KV<Prediction, Galaxy> a, KV<Prediction, Galaxy> b) {
      return order.compare(a.getKey(), b.getKey());
    }
  }
}
