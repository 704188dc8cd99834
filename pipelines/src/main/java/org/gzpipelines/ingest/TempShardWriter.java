package org.gzpipelines.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.avro.file.DataFileWriter;
import org.apache.beam.sdk.io.FileSystems;
import org.gzpipelines.beam.AvroFiles;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Split;

/**
 * Streams one split's records into temporary Avro files of at most {@link
 * WriteShards#RECORDS_PER_TEMP_FILE} records each, in the split's temporary folder ({@link
 * WriteShards#tempDir}); only the open file's current block is in memory.
 */
final class TempShardWriter {
  private final Split split;
  private final String tempDir;
  private final List<TempShardFile> done = new ArrayList<>();
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
      writer = AvroFiles.create(FileSystems.matchNewResource(path, false), Galaxy.class);
      count = 0;
    }
    writer.append(galaxy);
    if (++count == WriteShards.RECORDS_PER_TEMP_FILE) {
      closeFile();
    }
  }

  /** Closes the open file; returns every file written, none of them empty. */
  List<TempShardFile> finish() throws IOException {
    closeFile();
    return done;
  }

  private void closeFile() throws IOException {
    if (writer != null) {
      writer.close();
      writer = null;
      done.add(new TempShardFile(split, path, count));
    }
  }
}
