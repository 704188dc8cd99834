package org.gzpipelines.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Path;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.gzpipelines.schemas.DeadLetter;

/**
 * Reads the labels CSV (or the .zip or .gz holding it, {@link LabelsCsv#reader}) into valid rows
 * keyed by GalaxyID (tag {@link #ROWS}) and dead letters for malformed rows (tag {@link
 * #DEAD_LETTERS}). One sequential read: line numbers must be exact for the dead letters, and 60,000
 * rows parse in well under a second.
 */
public final class ReadLabels extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<KV<Long, LabelRow>> ROWS = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  private final String csv;

  private ReadLabels(String csv) {
    this.csv = csv;
  }

  /** Reads the CSV at {@code csv}; its header must already have passed {@link LabelsCsv#checkHeader}. */
  public static ReadLabels from(String csv) {
    return new ReadLabels(csv);
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    PCollectionTuple parsed =
        begin
            .apply("LabelsFile", Create.of(Path.of(csv).toAbsolutePath().toString())) // as ReadImages: sources name it fully
            .apply("ParseRows", ParDo.of(new ParseRowsFn()).withOutputTags(ROWS, TupleTagList.of(DEAD_LETTERS)));
    parsed.get(ROWS).setCoder(KvCoder.of(VarLongCoder.of(), LabelRow.Coder.of()));
    parsed.get(DEAD_LETTERS).setCoder(AvroCoder.of(DeadLetter.class));
    return parsed;
  }

  static final class ParseRowsFn extends DoFn<String, KV<Long, LabelRow>> {
    @ProcessElement
    public void process(@Element String file, MultiOutputReceiver out) throws IOException {
      try (BufferedReader in = LabelsCsv.reader(file,
          Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(file, false))))) {
        in.readLine(); // the header, checked before the pipeline started
        String line;
        int lineNumber = 1;
        while ((line = in.readLine()) != null) {
          lineNumber++;
          if (line.isBlank()) {
            continue;
          }
          String source = file + ":" + lineNumber;
          LabelsCsv.Parsed row = LabelsCsv.parse(line);
          if (row.ok()) {
            out.get(ROWS).output(KV.of(row.id(), new LabelRow(source, row.labels())));
          } else {
            String id = row.id() == null ? null : row.id().toString();
            out.get(DEAD_LETTERS).output(row.problem().deadLetter(source, id, "line " + lineNumber + ": " + row.error()));
            if (row.id() != null) {
              // To the join as a rejected row: its image is left out without a second dead letter.
              out.get(ROWS).output(KV.of(row.id(), LabelRow.rejected(source)));
            }
          }
        }
      }
    }
  }
}
