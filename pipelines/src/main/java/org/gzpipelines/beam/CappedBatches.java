package org.gzpipelines.beam;

import java.util.concurrent.ThreadLocalRandom;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Groups a collection into batches of at most {@code cap} elements, each batch one element, so that
 * the work per unit follows the cap and not the size of the input: the Direct runner makes every
 * group of a GroupByKey its own bundle, and on Flink the GroupByKey spreads the batches over every
 * task slot (a step chained behind a narrow one would otherwise run at its width).
 *
 * <p>A batch is keyed by a random number drawn per input bundle plus the element's position in the
 * bundle divided by {@code cap}: no global count is needed, and batches never span bundles. Group
 * only small elements (names, references): a GroupByKey holds its whole input on the Direct runner.
 */
public final class CappedBatches<T> extends PTransform<PCollection<T>, PCollection<KV<Long, Iterable<T>>>> {
  private final int cap;

  private CappedBatches(int cap) {
    if (cap < 1) {
      throw new IllegalArgumentException("batch cap must be at least 1, got " + cap);
    }
    this.cap = cap;
  }

  public static <T> CappedBatches<T> of(int cap) {
    return new CappedBatches<>(cap);
  }

  @Override
  public PCollection<KV<Long, Iterable<T>>> expand(PCollection<T> input) {
    return input
        .apply("KeyByBatch", ParDo.of(new KeyByBatchFn<T>(cap)))
        .setCoder(KvCoder.of(VarLongCoder.of(), input.getCoder()))
        .apply("GroupBatches", GroupByKey.create());
  }

  private static final class KeyByBatchFn<T> extends DoFn<T, KV<Long, T>> {
    private final int cap;
    private transient long base;
    private transient long position;

    KeyByBatchFn(int cap) {
      this.cap = cap;
    }

    @StartBundle
    public void startBundle() {
      // One of 2^32 key ranges per bundle; two bundles drawing the same one only merge batches.
      base = ThreadLocalRandom.current().nextLong() << 32;
      position = 0;
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<KV<Long, T>> out) {
      out.output(KV.of(base + position++ / cap, element));
    }
  }
}
