package org.gzpipelines.predict;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * A Parquet file of gz predict read back with parquet's own reader (which, unlike the writer,
 * needs Hadoop's classes: the test classpath has them).
 *
 * @param rows the 37 values of each GalaxyID, in file order
 */
record SubmissionParquetFile(List<String> columns, Map<Long, List<Float>> rows, Map<String, String> metadata) {

  static SubmissionParquetFile read(Path file) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file), ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      List<String> columns = schema.getFields().stream().map(Type::getName).toList();
      Map<Long, List<Float>> rows = new LinkedHashMap<>();
      for (PageReadStore pages; (pages = reader.readNextRowGroup()) != null; ) {
        RecordReader<Group> records = new ColumnIOFactory().getColumnIO(schema).getRecordReader(pages, new GroupRecordConverter(schema));
        for (long i = 0; i < pages.getRowCount(); i++) {
          Group g = records.read();
          List<Float> values = new ArrayList<>();
          for (int c = 1; c < columns.size(); c++) {
            values.add(g.getFloat(c, 0));
          }
          rows.put(g.getLong(0, 0), values);
        }
      }
      return new SubmissionParquetFile(columns, rows, reader.getFooter().getFileMetaData().getKeyValueMetaData());
    }
  }
}
