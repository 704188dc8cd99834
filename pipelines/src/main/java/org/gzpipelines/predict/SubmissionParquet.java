package org.gzpipelines.predict;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.gzpipelines.files.AtomicFiles;
import org.gzpipelines.taxonomy.Answer;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;

/**
 * Predictions as a Parquet file with the submission CSV's columns: {@code GalaxyID} (int64) and
 * {@code Class1.1} ... {@code Class11.6} (float), one row per galaxy, so {@code
 * pandas.read_parquet} gives the same table as {@code read_csv} of the CSV, with exact floats.
 * The key-value metadata carries the provenance a CSV cannot: the model and the predict run.
 *
 * <p>Written with parquet-hadoop's own writer through {@link LocalOutputFile} and {@link
 * PlainParquetConfiguration}, a path that needs no Hadoop classes at run time (Beam's ParquetIO
 * creates a Hadoop Configuration, which would put the Hadoop client, tens of MB, into gz and
 * the job jar). Uncompressed, because every codec of parquet-hadoop 1.15 loads Hadoop's codec
 * classes; vote fractions are near-random float mantissas that compress by little anyway.
 */
final class SubmissionParquet {

  static final MessageType SCHEMA = schema();

  private SubmissionParquet() {}

  /** Writes {@code rows} into {@code file} with {@code provenance} as key-value metadata, replacing it only when complete. */
  static void write(SubmissionRows rows, Path file, Map<String, String> provenance) throws IOException {
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    AtomicFiles.write(file, tmp -> {
      try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(tmp))
          .withType(SCHEMA)
          .withConf(new PlainParquetConfiguration())
          .withWriteMode(ParquetFileWriter.Mode.OVERWRITE) // a stopped earlier run's temporary file
          .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
          .withExtraMetaData(provenance)
          .build()) {
        for (Map.Entry<Long, float[]> row : rows.rows().entrySet()) {
          Group g = groups.newGroup().append(GalaxyZooTaxonomy.ID_COLUMN, row.getKey());
          float[] values = row.getValue();
          for (int i = 0; i < values.length; i++) {
            g.add(i + 1, values[i]);
          }
          w.write(g);
        }
      }
    });
  }

  private static MessageType schema() {
    Types.MessageTypeBuilder b = Types.buildMessage();
    b.required(PrimitiveTypeName.INT64).named(GalaxyZooTaxonomy.ID_COLUMN);
    for (Answer a : GalaxyZooTaxonomy.answers()) {
      b.required(PrimitiveTypeName.FLOAT).named(a.id());
    }
    return b.named("galaxy_zoo_submission");
  }
}
