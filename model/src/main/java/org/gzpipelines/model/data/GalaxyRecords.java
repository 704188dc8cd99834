package org.gzpipelines.model.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.gzpipelines.schemas.Galaxy;

/**
 * Galaxy records of several Avro shards, one after the other, one shard open at a time, as
 * compact {@link Sample}s. One Galaxy object is reused for decoding (Avro then reuses its pixel
 * buffer and label array), so each record costs one byte[] and one float[] instead of a fresh
 * record, buffer and list of boxed floats.
 */
final class GalaxyRecords implements Iterator<GalaxyRecords.Sample>, AutoCloseable {

  /** One decoded galaxy. {@code labels} is null for unlabelled images. */
  record Sample(long id, int height, int width, int channels, byte[] pixels, float[] labels, Path shard) {}

  private Galaxy reuse;

  private final Iterator<Path> shards;
  private DataFileReader<Galaxy> current;
  private Path currentPath;

  GalaxyRecords(List<Path> shards) {
    this.shards = shards.iterator();
  }

  @Override
  public boolean hasNext() {
    try {
      while (current == null || !current.hasNext()) {
        close();
        if (!shards.hasNext()) {
          return false;
        }
        currentPath = shards.next();
        current = new DataFileReader<>(currentPath.toFile(), new SpecificDatumReader<>(Galaxy.class));
      }
      return true;
    } catch (IOException | AvroRuntimeException e) {
      // Avro reports a block that fails its checksum as an AvroRuntimeException from hasNext().
      throw ShardCheck.unreadable(currentPath, e);
    }
  }

  @Override
  public Sample next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    try {
      reuse = current.next(reuse);
    } catch (IOException | AvroRuntimeException e) {
      throw ShardCheck.unreadable(currentPath, e);
    }
    java.nio.ByteBuffer px = reuse.getPixels().duplicate();
    byte[] pixels = new byte[px.remaining()];
    px.get(pixels);
    List<Float> l = reuse.getLabels();
    float[] labels = null;
    if (l != null) {
      labels = new float[l.size()];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = l.get(i);
      }
    }
    return new Sample(reuse.getGalaxyId(), reuse.getHeight(), reuse.getWidth(), reuse.getChannels(), pixels, labels,
        currentPath);
  }

  @Override
  public void close() {
    if (current != null) {
      try {
        current.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        current = null;
      }
    }
  }
}
