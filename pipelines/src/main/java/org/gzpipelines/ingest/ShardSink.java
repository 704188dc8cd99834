package org.gzpipelines.ingest;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.gzpipelines.schemas.DeadLetter;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Split;

/**
 * Where ingest puts each image it has read, inside the call that read it: assigns the split
 * ({@link SplitAssigner}; unlabelled images are TEST), makes the records ({@link
 * ImagePreprocessor}), streams them into the split's temporary files ({@link TempShardWriter}) and
 * counts them ({@link SplitStats}). What leaves the call is the files' names and the counts.
 *
 * <p>Why in one call: the Direct runner holds a step's whole output until the next step runs, and it
 * runs a step over all its bundles before the next step starts (breadth-first), so image bytes or
 * records as the output of one step and the input of the next were all in memory at once (40,000
 * images failed in a 1 GB heap). Here one image's bytes and records are in memory at a time.
 */
final class ShardSink {

  /** What every sink of one ingest shares; travels with the steps that create sinks. */
  record Spec(String outDir, SplitAssigner splits, PreprocessParams preprocess) implements Serializable {}

  private final Spec spec;
  private final ImagePreprocessor preprocessor;
  private final Consumer<DeadLetter> dead;
  private final Map<Split, TempShardWriter> writers = new EnumMap<>(Split.class);
  private final SplitStats stats = new SplitStats();

  /** A sink that sends images it cannot use to {@code dead}. */
  ShardSink(Spec spec, Consumer<DeadLetter> dead) {
    this.spec = spec;
    this.preprocessor = new ImagePreprocessor(spec.preprocess());
    this.dead = dead;
  }

  /** The image of galaxy {@code galaxyId} as read, with its labels (null when ingested without labels). */
  void accept(long galaxyId, ImageFile image, float[] labels) throws IOException {
    Split split = labels == null ? Split.TEST : spec.splits().assign(galaxyId);
    List<Galaxy> records = new ArrayList<>();
    preprocessor.process(new LabelledImage(galaxyId, image, labels, split), records::add, dead);
    for (Galaxy galaxy : records) {
      writers.computeIfAbsent(split, s -> new TempShardWriter(spec.outDir(), s)).append(galaxy);
      stats.add(galaxy);
    }
  }

  /** Closes the temporary files and hands over each of them, then the statistics of what was written. */
  void finish(Consumer<TempShardFile> files, Consumer<SplitStats> statistics) throws IOException {
    for (TempShardWriter writer : writers.values()) {
      writer.finish().ifPresent(files);
    }
    statistics.accept(stats);
  }
}
