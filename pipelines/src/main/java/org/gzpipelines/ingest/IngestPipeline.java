package org.gzpipelines.ingest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.gzpipelines.schemas.DeadLetter;
import org.gzpipelines.schemas.Split;

/**
 * The ingest pipeline: (ReadLabels ->) JoinAndValidate (names only) -> IngestImages (read, split,
 * preprocess and write temporary shard files, image by image) -> WriteShards (temporary files into
 * shards) and SplitStats.Write, with every step's dead letters flattened into WriteDeadLetters, into
 * {@code out}.
 */
public final class IngestPipeline {
  private IngestPipeline() {}

  /** Builds the pipeline {@code params} describe, writing into {@code out}, on {@code options}' runner. */
  public static Pipeline create(PipelineOptions options, IngestParams params, String out) {
    Pipeline pipeline = Pipeline.create(options);
    boolean labelled = params.labelled();

    PCollectionTuple toJoin = PCollectionTuple.empty(pipeline);
    PCollectionList<DeadLetter> deadLetters = PCollectionList.empty(pipeline);
    if (labelled) {
      PCollectionTuple labels = pipeline.apply("ReadLabels", ReadLabels.from(params.labels));
      toJoin = toJoin.and(ReadLabels.ROWS, labels.get(ReadLabels.ROWS));
      deadLetters = deadLetters.and(labels.get(ReadLabels.DEAD_LETTERS));
    }

    String images = params.images;
    PCollectionTuple joined = toJoin.apply("JoinAndValidate",
        labelled ? JoinAndValidate.withLabels(images) : JoinAndValidate.imagesOnly(images));
    ShardSink.Spec sink = new ShardSink.Spec(out, new SplitAssigner(params.splitSeed, params.trainFraction), PreprocessParams.of(params));
    PCollectionTuple written = joined.get(JoinAndValidate.CHOSEN).apply("IngestImages", new IngestImages(images, params.imagesPerBundle, sink));
    deadLetters = deadLetters.and(joined.get(JoinAndValidate.DEAD_LETTERS)).and(written.get(IngestImages.DEAD_LETTERS));

    List<Split> splits = labelled ? List.of(Split.TRAIN, Split.VAL) : List.of(Split.TEST);
    written.get(IngestImages.TEMP_FILES).apply("WriteShards", new WriteShards(out, splits, params.shards, params.recordsPerShard));
    written.get(IngestImages.STATS).apply("WriteStats", new SplitStats.Write(out));
    List<String> inputs = new ArrayList<>(List.of(Path.of(images).toAbsolutePath().toString()));
    if (labelled) {
      inputs.add(Path.of(params.labels).toAbsolutePath().toString());
    }
    deadLetters.apply("AllDeadLetters", Flatten.pCollections()).apply("WriteDeadLetters", new WriteDeadLetters(out, inputs));
    return pipeline;
  }
}
