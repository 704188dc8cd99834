package org.gzpipelines.ingest;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.gzpipelines.schemas.DeadLetter;
import org.gzpipelines.tracking.SharedPaths;

/**
 * Writes all dead letters to {@code <dir>/dead-letter/part-*.avro} (one shard: they are few and
 * small), each source named relative to the folder holding the input it came from
 * ({@code images_training_rev1/100008.jpg}, {@code training.zip!a/100008.jpg},
 * {@code labels.csv:17}): the output is shared, and the input's absolute path is not the reader's.
 */
public final class WriteDeadLetters extends PTransform<PCollection<DeadLetter>, PDone> {
  private final String dir;
  private final ArrayList<String> inputs;

  /** {@code inputs}: the absolute paths of the images and labels inputs the sources start with. */
  public WriteDeadLetters(String dir, List<String> inputs) {
    this.dir = dir;
    this.inputs = new ArrayList<>(inputs);
  }

  @Override
  public PDone expand(PCollection<DeadLetter> letters) {
    letters.apply("RelativeSources", ParDo.of(new RelativeSourceFn(inputs)))
        .setCoder(AvroCoder.of(DeadLetter.class))
        .apply("Write",
            FileIO.<DeadLetter>write().via(AvroIO.sink(DeadLetter.class)).to(dir + "/dead-letter")
                .withPrefix("part").withSuffix(".avro").withNumShards(1));
    return PDone.in(letters.getPipeline());
  }

  /**
   * {@code source} from the input's own name on: an input and what follows it, a '/' (a file in a
   * folder), '!' (an archive entry) or ':' (a labels line); any other source keeps its file name.
   */
  static String relativeSource(String source, List<String> inputs) {
    for (String input : inputs) {
      if (source.startsWith(input)
          && (source.length() == input.length() || "/\\!:".indexOf(source.charAt(input.length())) >= 0)) {
        return ImageFile.fileName(input) + source.substring(input.length());
      }
    }
    return SharedPaths.ELIDED + ImageFile.fileName(source);
  }

  /** A reason that names another input file (the duplicate that was kept) names it as the source does. */
  static String relativeReason(String reason, List<String> inputs) {
    for (String input : inputs) {
      reason = reason.replace(input, ImageFile.fileName(input));
    }
    return reason;
  }

  private static final class RelativeSourceFn extends DoFn<DeadLetter, DeadLetter> {
    private final ArrayList<String> inputs;

    RelativeSourceFn(ArrayList<String> inputs) {
      this.inputs = inputs;
    }

    @ProcessElement
    public void process(@Element DeadLetter letter, OutputReceiver<DeadLetter> out) {
      out.output(DeadLetter.newBuilder(letter).setSource(relativeSource(letter.getSource(), inputs))
          .setReason(relativeReason(letter.getReason(), inputs)).build());
    }
  }
}
