package org.gzpipelines.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;

class NameBatchesTest {
  /** Each run's batches by key; static because the DoFn runs on a deserialised copy. */
  private static final Map<String, Map<Long, List<String>>> RUNS = new ConcurrentHashMap<>();

  @Test
  void theSameNamesFormTheSameBatchesInEveryRunOfAboutTheSize() {
    List<String> names = IntStream.range(0, 5_000).mapToObj(i -> "/data/images_test_rev1/" + (100_000 + 7 * i) + ".jpg").toList();
    List<String> shuffled = new ArrayList<>(names);
    Collections.shuffle(shuffled, new Random(1));
    // Two runs over the names in other orders, so in other bundles: what a re-run after a failover sees.
    Map<Long, List<String>> first = batches("first", names);
    Map<Long, List<String>> second = batches("second", shuffled);

    assertEquals(first, second, "a batch's key names the same names, in the same order, in every run");
    assertEquals(10, first.size(), "5,000 names in batches of about 500");
    assertTrue(first.values().stream().allMatch(b -> b.size() >= 400 && b.size() <= 600),
        "batch sizes " + first.values().stream().map(List::size).toList());
    assertEquals(names, first.values().stream().flatMap(List::stream).sorted().toList(), "every name once");
  }

  private static Map<Long, List<String>> batches(String run, List<String> names) {
    RUNS.put(run, new ConcurrentHashMap<>());
    Pipeline p = Pipeline.create();
    p.apply(Create.of(names)).apply(NameBatches.of(names.size(), 500)).apply(ParDo.of(new RecordBatchFn(run)));
    p.run().waitUntilFinish();
    return new TreeMap<>(RUNS.get(run));
  }

  private static final class RecordBatchFn extends DoFn<KV<Long, Iterable<String>>, Void> {
    private final String run;

    RecordBatchFn(String run) {
      this.run = run;
    }

    @ProcessElement
    public void process(@Element KV<Long, Iterable<String>> batch) {
      List<String> items = new ArrayList<>();
      batch.getValue().forEach(items::add); // in the order the batch gives them
      RUNS.get(run).put(batch.getKey(), items);
    }
  }
}
