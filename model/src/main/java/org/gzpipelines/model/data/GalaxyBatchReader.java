package org.gzpipelines.model.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;

/**
 * Streams batches of one epoch from Avro shards with bounded memory: optional seeded shuffling
 * of the shard order and within a buffer of records, and a background thread that prepares up to
 * {@code prefetch} batches ahead.
 *
 * <p>The order is a pure function of (seed, epoch), so a resumed run can skip to the batch it
 * stopped at and see exactly the data an uninterrupted run would have seen.
 */
public final class GalaxyBatchReader implements Iterator<HostBatch>, AutoCloseable {

  /**
   * @param maxRecords stop after this many records (0 = all), e.g. a quick validation subset
   */
  public record Options(int batchSize, boolean shuffle, int shuffleBuffer, long seed, int prefetch, long maxRecords) {
    /** In file order, no shuffling (evaluation). */
    public static Options sequential(int batchSize) {
      return new Options(batchSize, false, 1, 0, 2, 0);
    }

    public Options withMaxRecords(long n) {
      return new Options(batchSize, shuffle, shuffleBuffer, seed, prefetch, n);
    }
  }

  private static final Object END = new Object();

  private final BlockingQueue<Object> queue;
  private final Thread producer;
  private Object next;

  private GalaxyBatchReader(ShardSet shards, Options options, int epoch, long skipBatches) {
    this.queue = new ArrayBlockingQueue<>(Math.max(1, options.prefetch()));
    this.producer = new Thread(() -> produce(shards, options, epoch, skipBatches), "gz-batch-reader");
    producer.setDaemon(true);
    producer.start();
  }

  /**
   * Opens one epoch.
   *
   * @param skipBatches batches at the start of the epoch to pass over (resume)
   */
  public static GalaxyBatchReader open(ShardSet shards, Options options, int epoch, long skipBatches) {
    return new GalaxyBatchReader(shards, options, epoch, skipBatches);
  }

  private void produce(ShardSet shards, Options o, int epoch, long skipBatches) {
    try {
      List<Path> order = new ArrayList<>(shards.shards());
      Random rnd = new Random(Seeds.mix(o.seed(), epoch, -1));
      if (o.shuffle()) {
        Collections.shuffle(order, rnd);
      }
      try (GalaxyRecords records = new GalaxyRecords(order)) {
        Iterator<GalaxyRecords.Sample> stream = o.shuffle() ? new ShuffleBuffer(records, o.shuffleBuffer(), rnd) : records;
        long emitted = 0;
        long index = 0;
        long limit = o.maxRecords() > 0 ? o.maxRecords() : Long.MAX_VALUE;
        while (stream.hasNext() && emitted < limit) {
          int n = (int) Math.min(o.batchSize(), limit - emitted);
          if (index < skipBatches) {
            for (int i = 0; i < n && stream.hasNext(); i++) {
              stream.next();
              emitted++;
            }
          } else {
            HostBatch b = assemble(stream, n, epoch, index);
            emitted += b.size();
            put(b);
          }
          index++;
        }
      }
      put(END);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      try {
        put(e);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void put(Object o) throws InterruptedException {
    queue.put(o);
  }

  private static HostBatch assemble(Iterator<GalaxyRecords.Sample> stream, int n, int epoch, long index) {
    byte[] pixels = null;
    float[] labels = new float[n * GalaxyZooTaxonomy.ANSWER_COUNT];
    long[] ids = new long[n];
    int h = 0;
    int w = 0;
    int c = 0;
    int imageBytes = 0;
    int count = 0;
    while (count < n && stream.hasNext()) {
      GalaxyRecords.Sample g = stream.next();
      if (pixels == null) {
        h = g.height();
        w = g.width();
        c = g.channels();
        imageBytes = h * w * c;
        pixels = new byte[n * imageBytes];
      } else if (g.height() != h || g.width() != w || g.channels() != c) {
        throw new IllegalArgumentException("galaxy " + g.id() + " in " + g.shard() + " is " + g.height() + "x"
            + g.width() + "x" + g.channels() + ", the batch is " + h + "x" + w + "x" + c
            + ": all images of a data folder must have one size (re-run gz ingest)");
      }
      if (g.pixels().length != imageBytes) {
        throw new IllegalArgumentException("galaxy " + g.id() + " in " + g.shard() + " has " + g.pixels().length
            + " pixel bytes, expected " + imageBytes + " (re-run gz ingest)");
      }
      System.arraycopy(g.pixels(), 0, pixels, count * imageBytes, imageBytes);
      if (g.labels() != null) {
        if (g.labels().length != GalaxyZooTaxonomy.ANSWER_COUNT) {
          throw new IllegalArgumentException("galaxy " + g.id() + " in " + g.shard() + " has " + g.labels().length
              + " labels, expected " + GalaxyZooTaxonomy.ANSWER_COUNT);
        }
        System.arraycopy(g.labels(), 0, labels, count * GalaxyZooTaxonomy.ANSWER_COUNT, GalaxyZooTaxonomy.ANSWER_COUNT);
      }
      ids[count] = g.id();
      count++;
    }
    if (count < n) {
      // The stream ended early (only with a record limit larger than the data): trim.
      pixels = Arrays.copyOf(pixels, count * imageBytes);
      labels = Arrays.copyOf(labels, count * GalaxyZooTaxonomy.ANSWER_COUNT);
      ids = Arrays.copyOf(ids, count);
    }
    return new HostBatch(count, h, w, c, pixels, labels, ids, epoch, index);
  }

  @Override
  public boolean hasNext() {
    if (next == null) {
      try {
        next = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the batch reader", e);
      }
    }
    if (next instanceof RuntimeException e) {
      throw e;
    }
    if (next instanceof Error e) {
      throw e;
    }
    return next != END;
  }

  @Override
  public HostBatch next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    HostBatch b = (HostBatch) next;
    next = null;
    return b;
  }

  /** Stops the reader thread (safe to call at any time). */
  @Override
  public void close() {
    producer.interrupt();
    queue.clear();
    try {
      producer.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A fixed-size buffer of records: each output is a random record of the buffer, replaced by the
   * next input (as tf.data's shuffle). Memory stays at {@code size} records whatever the data size.
   */
  private static final class ShuffleBuffer implements Iterator<GalaxyRecords.Sample> {
    private final Iterator<GalaxyRecords.Sample> in;
    private final List<GalaxyRecords.Sample> buffer;
    private final Random rnd;

    ShuffleBuffer(Iterator<GalaxyRecords.Sample> in, int size, Random rnd) {
      this.in = in;
      this.buffer = new ArrayList<>(size);
      this.rnd = rnd;
      while (buffer.size() < size && in.hasNext()) {
        buffer.add(in.next());
      }
    }

    @Override
    public boolean hasNext() {
      return !buffer.isEmpty();
    }

    @Override
    public GalaxyRecords.Sample next() {
      if (buffer.isEmpty()) {
        throw new NoSuchElementException();
      }
      int i = rnd.nextInt(buffer.size());
      GalaxyRecords.Sample out = buffer.get(i);
      if (in.hasNext()) {
        buffer.set(i, in.next());
      } else {
        buffer.set(i, buffer.get(buffer.size() - 1));
        buffer.remove(buffer.size() - 1);
      }
      return out;
    }
  }
}
