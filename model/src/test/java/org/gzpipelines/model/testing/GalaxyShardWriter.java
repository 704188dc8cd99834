package org.gzpipelines.model.testing;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.DataFileConstants;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.gzpipelines.model.data.Manifest;
import org.gzpipelines.model.data.Preprocessing;
import org.gzpipelines.schemas.Galaxy;

/**
 * Galaxy records into a folder of Avro shards, as the ingest stage writes them: record i goes to
 * shard i mod n, so shard s holds records s, s + n, s + 2n, ... in order. The one shard writer of
 * the test fixtures (SyntheticShards here; MergerSky and explore's TestDatasets in the pipelines
 * tests, through gz-model's test-jar).
 */
public final class GalaxyShardWriter implements Closeable {
  /** Shard names {@code part-00000-of-00003.avro}, ... (String.format of shard and count). */
  public static final String OF_COUNT = "part-%05d-of-%05d.avro";
  /** Shard names {@code part-00000.avro}, ... (the count is passed to String.format too, and unused). */
  public static final String NUMBERED = "part-%05d.avro";
  /** Avro's own block size; a smaller one gives several blocks a shard. */
  public static final int DEFAULT_SYNC_INTERVAL = DataFileConstants.DEFAULT_SYNC_INTERVAL;

  private final List<DataFileWriter<Galaxy>> writers = new ArrayList<>();

  /**
   * Writes {@code <dir>/manifest.json} as ingest would for images already at the stored size (no
   * crop, no resize), listing the shards already written: training reads it and records that
   * preprocessing in the saved model, and every reader checks the shards against it.
   */
  public static void writeManifest(Path dir, String source, int size, Map<String, Long> records) throws IOException {
    new Manifest(source, null, "", 0, "", new Manifest.Parameters(true, size, size, size, Preprocessing.AREA_AVERAGE,
        0.8, 0, 0, 0, 150, 0), 0, records, Map.of(), Map.of(), 0, null, null, null, "", Manifest.measureShards(dir))
        .write(dir);
  }

  /** Creates {@code dir} and its {@code shards} empty shard files. */
  public GalaxyShardWriter(Path dir, int shards, String nameFormat, int syncInterval) throws IOException {
    Files.createDirectories(dir);
    try {
      for (int s = 0; s < shards; s++) {
        DataFileWriter<Galaxy> w = new DataFileWriter<>(new SpecificDatumWriter<>(Galaxy.class));
        writers.add(w);
        w.setSyncInterval(syncInterval);
        w.create(Galaxy.getClassSchema(), dir.resolve(String.format(nameFormat, s, shards)).toFile());
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Writes {@code galaxies} in order into {@code <dir>/part-0000s-of-0000n.avro}. */
  public static void write(Path dir, List<Galaxy> galaxies, int shards, int syncInterval) throws IOException {
    try (GalaxyShardWriter w = new GalaxyShardWriter(dir, shards, OF_COUNT, syncInterval)) {
      for (int i = 0; i < galaxies.size(); i++) {
        w.append(i, galaxies.get(i));
      }
    }
  }

  /** Appends {@code galaxy} to shard {@code index mod shards}. */
  public void append(long index, Galaxy galaxy) throws IOException {
    writers.get((int) (index % writers.size())).append(galaxy);
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (DataFileWriter<Galaxy> w : writers) {
      try {
        w.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
