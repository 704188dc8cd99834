package org.gzpipelines.explore;

import java.io.Serializable;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The Pearson correlation matrix of the label vectors, computed in ONE pass as a {@link
 * Combine.CombineFn} whose state is O(d^2) whatever the number of galaxies.
 *
 * <p>Hand-written because Beam has no multivariate covariance combiner. The naive one-pass
 * formula {@code sum(xy) - sum(x)sum(y)/n} cancels catastrophically when the mean is large
 * compared with the spread; instead each worker keeps means and co-moments updated per element
 * (Welford 1962), and partial results from different workers are merged with the pairwise
 * formula of Chan, Golub and LeVeque (1979): {@code C = Ca + Cb + delta_i delta_j na nb / n}.
 */
public final class LabelCorrelation
    extends PTransform<PCollection<LabelVector>, PCollectionView<LabelCorrelation.CoMoments>> {

  @Override
  public PCollectionView<CoMoments> expand(PCollection<LabelVector> labels) {
    return labels.apply("CoMoments", Combine.globally(new CorrelationFn()).asSingletonView());
  }

  /** Streaming means and co-moments of d variables; mergeable. */
  public static final class CoMoments implements Serializable {
    private static final long serialVersionUID = 1L;
    long count;
    double[] mean;
    /** Upper triangle (i <= j) of the co-moment matrix sum((x_i - mean_i)(x_j - mean_j)), row-major d x d. */
    double[] comoment;

    public CoMoments() {}

    private void ensureDimension(int d) {
      if (mean == null) {
        mean = new double[d];
        comoment = new double[d * d];
      } else if (mean.length != d) {
        throw new IllegalArgumentException(
            "label vectors of different lengths: " + mean.length + " and " + d);
      }
    }

    /** Welford's update: one element. */
    public void add(float[] x) {
      int d = x.length;
      ensureDimension(d);
      count++;
      double[] delta = new double[d];
      for (int i = 0; i < d; i++) {
        delta[i] = x[i] - mean[i];
        mean[i] += delta[i] / count;
      }
      // (x_j - new mean_j) = delta_j * (n-1)/n; this product is the exact Welford increment.
      for (int i = 0; i < d; i++) {
        double di = delta[i];
        for (int j = i; j < d; j++) {
          comoment[i * d + j] += di * (x[j] - mean[j]);
        }
      }
    }

    /** Chan et al.'s pairwise merge of another partial into this one. */
    public void merge(CoMoments other) {
      if (other.count == 0) {
        return;
      }
      if (count == 0) {
        count = other.count;
        mean = other.mean.clone();
        comoment = other.comoment.clone();
        return;
      }
      int d = mean.length;
      ensureDimension(other.mean.length);
      double na = count;
      double nb = other.count;
      double n = na + nb;
      double[] delta = new double[d];
      for (int i = 0; i < d; i++) {
        delta[i] = other.mean[i] - mean[i];
      }
      double weight = na * nb / n;
      for (int i = 0; i < d; i++) {
        for (int j = i; j < d; j++) {
          comoment[i * d + j] += other.comoment[i * d + j] + delta[i] * delta[j] * weight;
        }
      }
      for (int i = 0; i < d; i++) {
        mean[i] += delta[i] * nb / n;
      }
      count += other.count;
    }

    public long count() {
      return count;
    }

    public int dimension() {
      return mean == null ? 0 : mean.length;
    }

    /** Pearson correlation matrix; NaN where a variable is constant (its variance is 0). */
    public double[][] correlation() {
      int d = dimension();
      double[][] r = new double[d][d];
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          double cii = comoment[i * d + i];
          double cjj = comoment[j * d + j];
          double cij = comoment[Math.min(i, j) * d + Math.max(i, j)];
          r[i][j] = cii > 0 && cjj > 0 ? cij / Math.sqrt(cii * cjj) : Double.NaN;
        }
      }
      return r;
    }
  }

  /** The combiner: O(d^2) state per worker, merged pairwise. */
  public static final class CorrelationFn extends Combine.CombineFn<LabelVector, CoMoments, CoMoments> {
    @Override
    public CoMoments createAccumulator() {
      return new CoMoments();
    }

    @Override
    public CoMoments addInput(CoMoments accumulator, LabelVector input) {
      accumulator.add(input.labels());
      return accumulator;
    }

    @Override
    public CoMoments mergeAccumulators(Iterable<CoMoments> accumulators) {
      CoMoments merged = new CoMoments();
      for (CoMoments a : accumulators) {
        merged.merge(a);
      }
      return merged;
    }

    @Override
    public CoMoments extractOutput(CoMoments accumulator) {
      return accumulator;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<CoMoments> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry, org.apache.beam.sdk.coders.Coder<LabelVector> inputCoder) {
      return SerializedCoder.of(CoMoments.class);
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<CoMoments> getDefaultOutputCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry, org.apache.beam.sdk.coders.Coder<LabelVector> inputCoder) {
      return SerializedCoder.of(CoMoments.class);
    }
  }
}
