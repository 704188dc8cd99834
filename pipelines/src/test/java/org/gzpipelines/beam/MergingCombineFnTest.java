package org.gzpipelines.beam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

class MergingCombineFnTest {

  /** Count and sum of some integers; value equality, as SerializableCoder wants. */
  static final class CountSum implements Serializable {
    long[] v = new long[2];

    void add(Integer i) {
      v[0]++;
      v[1] += i;
    }

    void merge(CountSum o) {
      v[0] += o.v[0];
      v[1] += o.v[1];
    }

    String describe() {
      return v[0] + "/" + v[1];
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof CountSum c && Arrays.equals(v, c.v);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(v);
    }
  }

  static Combine.CombineFn<Integer, CountSum, String> fn() {
    return MergingCombineFn.of(CountSum::new, CountSum::add, CountSum::merge, SerializableCoder.of(CountSum.class),
        CountSum::describe, StringUtf8Coder.of());
  }

  @Test
  void addsMergesIntoAFreshAccumulatorAndFinishes() {
    Combine.CombineFn<Integer, CountSum, String> fn = SerializableUtils.clone(fn()); // as a worker gets it
    CountSum a = fn.createAccumulator();
    assertSame(a, fn.addInput(a, 3));
    fn.addInput(a, 4);
    CountSum b = fn.addInput(fn.createAccumulator(), 10);
    CountSum merged = fn.mergeAccumulators(List.of(a, b));
    assertNotSame(a, merged);
    assertArrayEquals(new long[] {2, 7}, a.v, "the inputs are left as they were");
    assertEquals("3/17", fn.extractOutput(merged));
    assertEquals("0/0", fn.defaultValue());
  }

  @Test
  void usesTheGivenCoders() throws Exception {
    CoderRegistry registry = CoderRegistry.createDefault();
    assertEquals(SerializableCoder.of(CountSum.class), fn().getAccumulatorCoder(registry, VarIntCoder.of()));
    assertEquals(StringUtf8Coder.of(), fn().getDefaultOutputCoder(registry, VarIntCoder.of()));
    Combine.CombineFn<Integer, CountSum, CountSum> same =
        MergingCombineFn.of(CountSum::new, CountSum::add, CountSum::merge, SerializableCoder.of(CountSum.class));
    assertEquals(SerializableCoder.of(CountSum.class), same.getDefaultOutputCoder(registry, VarIntCoder.of()));
  }

  static final Queue<String> RESULTS = new ConcurrentLinkedQueue<>();

  static final class Collect extends DoFn<String, Void> {
    @ProcessElement
    public void process(@Element String s) {
      RESULTS.add(s);
    }
  }

  @Test
  void combinesGloballyOnTheDirectRunner() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<String> out = p.apply(Create.of(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)))
        .apply(Combine.globally(fn()));
    assertEquals(StringUtf8Coder.of(), out.getCoder());
    out.apply(ParDo.of(new Collect()));
    RESULTS.clear();
    p.run().waitUntilFinish();
    assertEquals(List.of("10/55"), List.copyOf(RESULTS));
  }
}
