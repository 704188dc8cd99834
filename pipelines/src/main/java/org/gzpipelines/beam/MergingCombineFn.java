package org.gzpipelines.beam;

import java.io.Serializable;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;

/**
 * A {@link Combine.CombineFn} over one mutable accumulator, made of the four pieces in which the
 * project's statistics combiners differ: a fresh accumulator, how an input is added to it, how
 * another accumulator is merged into it, and how the result is read off it.
 *
 * <p>Why it exists: DatasetCounts, SplitStats, TreeConsistency and LabelRmse each summarise a
 * whole collection into one small, Java-serialisable object, and each spelled out the same
 * createAccumulator / addInput (add, return the accumulator) / mergeAccumulators (a fresh
 * accumulator, merge every one into it) / extractOutput, plus the two coder overrides. Here that is
 * written once; a combiner is a single expression, e.g.
 * {@code MergingCombineFn.of(Tally::new, Tally::add, Tally::merge, SerializedCoder.of(Tally.class))}.
 *
 * <p>The coders are given, not inferred. Beam infers a CombineFn's coders from the type arguments
 * of its class, which a generic class like this one does not have at run time; and each of those
 * combiners chose its accumulator coder on purpose anyway (Java serialisation, with or without
 * value equality), which both runners, Direct and Flink, use to move accumulators between workers.
 *
 * <p>The four functions travel with the CombineFn to the workers, so they are {@link Serializable}
 * functional interfaces: pass method references or lambdas that capture nothing.
 */
public final class MergingCombineFn<InputT, AccumT, OutputT> extends Combine.CombineFn<InputT, AccumT, OutputT> {

  /** Makes a fresh, empty accumulator. */
  @FunctionalInterface
  public interface Create<AccumT> extends Serializable {
    AccumT create();
  }

  /** Adds {@code value} (an input, or another accumulator) into {@code accumulator} in place. */
  @FunctionalInterface
  public interface Into<AccumT, T> extends Serializable {
    void into(AccumT accumulator, T value);
  }

  /** Reads the result off an accumulator. */
  @FunctionalInterface
  public interface Finish<AccumT, OutputT> extends Serializable {
    OutputT finish(AccumT accumulator);
  }

  private final Create<AccumT> create;
  private final Into<AccumT, InputT> add;
  private final Into<AccumT, AccumT> merge;
  private final Finish<AccumT, OutputT> finish;
  private final Coder<AccumT> accumulatorCoder;
  private final Coder<OutputT> outputCoder;

  private MergingCombineFn(Create<AccumT> create, Into<AccumT, InputT> add, Into<AccumT, AccumT> merge,
      Finish<AccumT, OutputT> finish, Coder<AccumT> accumulatorCoder, Coder<OutputT> outputCoder) {
    this.create = create;
    this.add = add;
    this.merge = merge;
    this.finish = finish;
    this.accumulatorCoder = accumulatorCoder;
    this.outputCoder = outputCoder;
  }

  /** A combiner whose result is the accumulator itself, encoded with {@code coder} both ways. */
  public static <InputT, AccumT> MergingCombineFn<InputT, AccumT, AccumT> of(Create<AccumT> create,
      Into<AccumT, InputT> add, Into<AccumT, AccumT> merge, Coder<AccumT> coder) {
    return new MergingCombineFn<>(create, add, merge, accumulator -> accumulator, coder, coder);
  }

  /** A combiner whose result {@code finish} computes from the accumulator. */
  public static <InputT, AccumT, OutputT> MergingCombineFn<InputT, AccumT, OutputT> of(Create<AccumT> create,
      Into<AccumT, InputT> add, Into<AccumT, AccumT> merge, Coder<AccumT> accumulatorCoder,
      Finish<AccumT, OutputT> finish, Coder<OutputT> outputCoder) {
    return new MergingCombineFn<>(create, add, merge, finish, accumulatorCoder, outputCoder);
  }

  @Override
  public AccumT createAccumulator() {
    return create.create();
  }

  @Override
  public AccumT addInput(AccumT accumulator, InputT input) {
    add.into(accumulator, input);
    return accumulator;
  }

  @Override
  public AccumT mergeAccumulators(Iterable<AccumT> accumulators) {
    AccumT merged = create.create();
    for (AccumT a : accumulators) {
      merge.into(merged, a);
    }
    return merged;
  }

  @Override
  public OutputT extractOutput(AccumT accumulator) {
    return finish.finish(accumulator);
  }

  @Override
  public Coder<AccumT> getAccumulatorCoder(CoderRegistry registry, Coder<InputT> inputCoder) {
    return accumulatorCoder;
  }

  @Override
  public Coder<OutputT> getDefaultOutputCoder(CoderRegistry registry, Coder<InputT> inputCoder) {
    return outputCoder;
  }
}
