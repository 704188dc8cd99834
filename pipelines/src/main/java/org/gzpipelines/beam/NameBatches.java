package org.gzpipelines.beam;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Groups names (file paths) into batches of about {@code size} names by a hash of each name, each
 * batch one element keyed by its number, so that a batch is the same set of names however the
 * runner bundles the input and however often it runs it, its names sorted ({@link SortedBatches}).
 *
 * <p>Why not {@link CappedBatches}: its keys are drawn at random per bundle, so when Flink re-runs
 * the work after a lost TaskManager the names form new batches under new keys. A work unit that
 * writes its own file under its key (predict's {@code UnitParts}) then leaves its failed attempt's
 * file beside the new one: a recovered {@code gz predict} of 61,578 images read 13,312 galaxies
 * twice. Here a re-run unit has its key and its names again, and replaces its file.
 *
 * <p>Batches hold {@code size} names on average, give or take about its square root; the caller
 * gives the number of names (a folder listing). Group only names: a GroupByKey holds its whole input
 * on the Direct runner.
 */
public final class NameBatches extends PTransform<PCollection<String>, PCollection<KV<Long, Iterable<String>>>> {
  private final int batches;

  private NameBatches(long names, int size) {
    if (size < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + size);
    }
    this.batches = (int) Math.max(1, (names + size - 1) / size);
  }

  /** About {@code names / size} batches of the {@code names} names to come. */
  public static NameBatches of(long names, int size) {
    return new NameBatches(names, size);
  }

  @Override
  public PCollection<KV<Long, Iterable<String>>> expand(PCollection<String> input) {
    return input
        .apply("KeyByNameHash", ParDo.of(new KeyByNameHashFn(batches)))
        .setCoder(KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of()))
        .apply("GroupBatches", GroupByKey.create())
        .apply("Sorted", SortedBatches.of());
  }

  private static final class KeyByNameHashFn extends DoFn<String, KV<Long, String>> {
    private final int batches;

    KeyByNameHashFn(int batches) {
      this.batches = batches;
    }

    @ProcessElement
    public void process(@Element String name, OutputReceiver<KV<Long, String>> out) {
      // A fixed hash (not String.hashCode's, which similar names share in runs) spreads the names evenly.
      int hash = Hashing.murmur3_32_fixed().hashString(name, StandardCharsets.UTF_8).asInt();
      out.output(KV.of((long) Math.floorMod(hash, batches), name));
    }
  }
}
