package org.gzpipelines.ingest;

import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import org.apache.avro.file.DataFileWriter;
import org.apache.beam.sdk.io.FileSystems;
import org.gzpipelines.beam.AvroFiles;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Split;

/**
 * Streams one split's records of one bundle into a temporary Avro file in the split's temporary
 * folder ({@link WriteShards#tempDir}); only the file's current block is in memory. Which records
 * share a file does not matter: {@link ShardMerge} sorts them into shards by GalaxyID.
 */
final class TempShardWriter {
  private final Split split;
  private final String tempDir;
  private DataFileWriter<Galaxy> writer;
  private String path;
  private long count;

  TempShardWriter(String outDir, Split split) {
    this.split = split;
    this.tempDir = WriteShards.tempDir(outDir, split);
  }

  void append(Galaxy galaxy) throws IOException {
    if (writer == null) {
      // A fresh name per file: a retried bundle leaves only unlisted orphans, never duplicates.
      path = tempDir + "/" + UUID.randomUUID() + ".avro";
      writer = AvroFiles.createScratch(FileSystems.matchNewResource(path, false), Galaxy.class);
      count = 0;
    }
    writer.append(galaxy);
    count++;
  }

  /** Closes the file; returns it, or nothing when no record came. */
  Optional<TempShardFile> finish() throws IOException {
    if (writer == null) {
      return Optional.empty();
    }
    writer.close();
    writer = null;
    return Optional.of(new TempShardFile(split, path, count));
  }
}
