package org.gzpipelines.ingest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.gzpipelines.schemas.DeadLetter;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Split;

/**
 * The ingest pipeline: (ReadLabels ->) JoinAndValidate (which reads the images) -> AssignSplit -> Preprocess
 * -> WriteShards, with every stage's dead letters flattened into WriteDeadLetters and the split
 * statistics written for the manifest, into {@code out}.
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
    PCollectionTuple joined = toJoin.apply("ReadImagesAndJoin",
        labelled ? JoinAndValidate.withLabels(images, params.effectiveBuckets())
            : JoinAndValidate.imagesOnly(images, params.effectiveBuckets()));
    PCollectionTuple processed =
        joined.get(JoinAndValidate.JOINED)
            .apply("AssignSplit", new AssignSplit(new SplitAssigner(params.splitSeed, params.trainFraction)))
            .apply("Preprocess", new Preprocess(PreprocessParams.of(params)));
    deadLetters = deadLetters.and(joined.get(JoinAndValidate.DEAD_LETTERS)).and(processed.get(Preprocess.DEAD_LETTERS));

    PCollection<Galaxy> galaxies = processed.get(Preprocess.GALAXIES);
    List<Split> splits = labelled ? List.of(Split.TRAIN, Split.VAL) : List.of(Split.TEST);
    galaxies.apply("WriteShards", new WriteShards(out, splits, params.shards, params.recordsPerShard));
    galaxies.apply("WriteStats", new SplitStats.Write(out));
    List<String> inputs = new ArrayList<>(List.of(Path.of(images).toAbsolutePath().toString()));
    if (labelled) {
      inputs.add(Path.of(params.labels).toAbsolutePath().toString());
    }
    deadLetters.apply("AllDeadLetters", Flatten.pCollections()).apply("WriteDeadLetters", new WriteDeadLetters(out, inputs));
    return pipeline;
  }
}
