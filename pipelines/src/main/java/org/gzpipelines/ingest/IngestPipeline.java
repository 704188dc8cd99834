package org.gzpipelines.ingest;

import java.util.List;
import org.apache.beam.sdk.Pipeline;
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
 * statistics written for the manifest. Writes into {@link IngestOptions#getOutputDir()}.
 */
public final class IngestPipeline {
  private IngestPipeline() {}

  /** Builds the pipeline described by {@code options}. */
  public static Pipeline create(IngestOptions options) {
    Pipeline pipeline = Pipeline.create(options);
    String out = options.getOutputDir();
    boolean labelled = options.getLabels() != null && !options.getLabels().isEmpty();

    PCollectionTuple toJoin = PCollectionTuple.empty(pipeline);
    PCollectionList<DeadLetter> deadLetters = PCollectionList.empty(pipeline);
    if (labelled) {
      PCollectionTuple labels = pipeline.apply("ReadLabels", ReadLabels.from(options.getLabels()));
      toJoin = toJoin.and(ReadLabels.ROWS, labels.get(ReadLabels.ROWS));
      deadLetters = deadLetters.and(labels.get(ReadLabels.DEAD_LETTERS));
    }

    String images = options.getImages();
    PCollectionTuple joined = toJoin.apply("ReadImagesAndJoin",
        labelled ? JoinAndValidate.withLabels(images, options.getBuckets()) : JoinAndValidate.imagesOnly(images, options.getBuckets()));
    PCollectionTuple processed =
        joined.get(JoinAndValidate.JOINED)
            .apply("AssignSplit", new AssignSplit(new SplitAssigner(options.getSplitSeed(), options.getTrainFraction())))
            .apply("Preprocess", new Preprocess(PreprocessParams.from(options)));
    deadLetters = deadLetters.and(joined.get(JoinAndValidate.DEAD_LETTERS)).and(processed.get(Preprocess.DEAD_LETTERS));

    PCollection<Galaxy> galaxies = processed.get(Preprocess.GALAXIES);
    List<Split> splits = labelled ? List.of(Split.TRAIN, Split.VAL) : List.of(Split.TEST);
    galaxies.apply("WriteShards", new WriteShards(out, splits, options.getNumShards(), options.getRecordsPerShard()));
    galaxies.apply("WriteStats", new SplitStats.Write(out));
    deadLetters.apply("AllDeadLetters", Flatten.pCollections()).apply("WriteDeadLetters", new WriteDeadLetters(out));
    return pipeline;
  }
}
