package org.gzpipelines.model.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.gzpipelines.schemas.Galaxy;

/** Galaxy records of several Avro shards, one after the other, one shard open at a time. */
final class GalaxyRecords implements Iterator<Galaxy>, AutoCloseable {

  private final Iterator<Path> shards;
  private DataFileReader<Galaxy> current;
  private Path currentPath;

  GalaxyRecords(List<Path> shards) {
    this.shards = shards.iterator();
  }

  /** The shard the last record came from (for error messages). */
  Path currentShard() {
    return currentPath;
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
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Avro shard " + currentPath, e);
    }
  }

  @Override
  public Galaxy next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    // No record reuse: records may wait in the shuffle buffer.
    return current.next();
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
