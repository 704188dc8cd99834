package org.gzpipelines.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;

class CappedBatchesTest {
  /** What the batches held, per batch; static because the DoFn runs on a deserialised copy. */
  private static final Queue<List<Integer>> BATCHES = new ConcurrentLinkedQueue<>();

  @Test
  void everyElementOnceInBatchesOfAtMostTheCap() {
    BATCHES.clear();
    List<Integer> input = IntStream.range(0, 1000).boxed().toList();
    Pipeline p = Pipeline.create();
    p.apply(Create.of(input))
        .apply(CappedBatches.of(64))
        .apply(ParDo.of(new RecordBatchFn()));
    p.run().waitUntilFinish();

    assertTrue(BATCHES.stream().allMatch(b -> !b.isEmpty() && b.size() <= 64), "batch sizes " + BATCHES.stream().map(List::size).toList());
    assertTrue(BATCHES.size() >= 1000 / 64 + 1, BATCHES.size() + " batches");
    assertEquals(input, BATCHES.stream().flatMap(List::stream).sorted().toList());
  }

  private static final class RecordBatchFn extends DoFn<KV<Long, Iterable<Integer>>, Void> {
    @ProcessElement
    public void process(@Element KV<Long, Iterable<Integer>> batch) {
      List<Integer> items = new ArrayList<>();
      batch.getValue().forEach(items::add);
      BATCHES.add(items);
    }
  }
}
