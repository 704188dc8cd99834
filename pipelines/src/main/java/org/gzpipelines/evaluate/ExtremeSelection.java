package org.gzpipelines.evaluate;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.Keys;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.gzpipelines.beam.MergingCombineFn;
import org.gzpipelines.predict.PredictImages;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Prediction;

/**
 * Picks, inside the pipeline, the validation galaxies the extremes figures show: per label and per
 * ordering (by truth, by prediction) the {@link EvaluatePipeline#EXTREMES} ranked highest
 * ({@link Extremes}), from the candidates each work unit preselected ({@link Preselection}), so
 * only the chosen galaxies' pixels reach a file and the split is read once:
 *
 * <pre>
 * {out}/extremes/ranked.json    per label and ordering, the galaxies ranked, highest first
 * {out}/extremes/galaxies.avro  their images
 * </pre>
 */
final class ExtremeSelection extends PTransform<PCollection<KV<Prediction, Galaxy>>, PDone> {

  private final int[] labels;
  private final String out;

  /** @param labels the answers (indices) ranked */
  ExtremeSelection(int[] labels, String out) {
    this.labels = labels.clone();
    this.out = out;
  }

  @Override
  public PDone expand(PCollection<KV<Prediction, Galaxy>> candidates) {
    int[] ranked = labels; // the lambdas below capture the numbers, not this transform
    PCollection<Extremes> extremes = candidates
        .apply("Candidate predictions", Keys.create())
        .apply("Extremes", Combine.globally(MergingCombineFn.of(() -> new Extremes(ranked), (e, p) -> e.add(p),
            Extremes::merge, SerializableCoder.of(Extremes.class))));
    extremes
        .apply("Ranking as JSON", FlatMapElements.into(TypeDescriptors.strings())
            .via((Extremes e) -> e.lines().stream().map(EvaluatePipeline::json).toList()))
        .apply("Write ranking", TextIO.write().to(out + "/" + EvaluatePipeline.EXTREMES_RANKED).withoutSharding());
    PCollectionView<List<Long>> ids = extremes
        .apply("Extreme ids", FlatMapElements.into(TypeDescriptors.longs()).via(Extremes::ids))
        .apply("As side input", View.asList());
    candidates
        .apply("Extreme images", ParDo.of(new ImagesOf(ids)).withSideInputs(ids))
        .apply("Write extreme images",
            AvroIO.write(Galaxy.class).to(out + "/" + EvaluatePipeline.EXTREMES_GALAXIES).withoutSharding());
    return PDone.in(candidates.getPipeline());
  }

  /** The images of the candidates that were ranked. */
  private static final class ImagesOf extends DoFn<KV<Prediction, Galaxy>, Galaxy> {
    private final PCollectionView<List<Long>> ids;

    ImagesOf(PCollectionView<List<Long>> ids) {
      this.ids = ids;
    }

    @ProcessElement
    public void process(@Element KV<Prediction, Galaxy> candidate, ProcessContext c) {
      // A few hundred ids at most: the list is small enough to scan.
      if (c.sideInput(ids).contains(candidate.getKey().getGalaxyId())) {
        c.output(candidate.getValue());
      }
    }
  }

  /**
   * What one work unit can contribute: the labelled galaxies among its own extremes, with their
   * images. The extremes over every unit's preselection equal the extremes over all galaxies, so a
   * unit passes on at most {@link Extremes#capacity} images whatever its size; it keeps no more
   * than twice that while it runs.
   */
  static final class Preselection implements PredictImages.Candidates {
    private final Extremes extremes;
    private final Map<Long, KV<Prediction, Galaxy>> ranked = new HashMap<>();

    Preselection(int[] labels) {
      this.extremes = new Extremes(labels);
    }

    @Override
    public void offer(Prediction prediction, Galaxy galaxy) {
      if (!ValidationScores.isLabelledVal(prediction) || !extremes.add(prediction)) {
        return; // unlabelled, or below this unit's extremes
      }
      ranked.put(prediction.getGalaxyId(), KV.of(prediction, galaxy));
      if (ranked.size() > 2 * extremes.capacity()) {
        forgetOutranked();
      }
    }

    @Override
    public void drainTo(Consumer<KV<Prediction, Galaxy>> out) {
      forgetOutranked();
      ranked.values().forEach(out);
      ranked.clear();
    }

    private void forgetOutranked() {
      Set<Long> still = new HashSet<>(extremes.ids());
      ranked.keySet().retainAll(still);
    }
  }

  /** Each work unit's {@link Preselection} of {@code labels}, for {@link PredictImages#withCandidates}. */
  static PredictImages.Candidates.PerUnit preselection(int[] labels) {
    int[] ranked = labels.clone();
    return () -> new Preselection(ranked);
  }
}
