package org.gzpipelines.explore;

import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.FloatCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.gzpipelines.ingest.PickGalaxies;
import org.gzpipelines.schemas.Galaxy;

/**
 * The prototype of each label: the original labelled galaxy with the highest value for it, keyed
 * by label index. A {@link Top} per label over (value, id) pairs only (no pixels cross the
 * shuffle), then the winners' records are read back from the shards ({@link PickGalaxies}) and
 * matched to their labels.
 */
public final class Prototypes extends PTransform<PCollection<LabelVector>, PCollectionView<Map<Integer, Galaxy>>> {
  private final String dataDir;

  public Prototypes(String dataDir) {
    this.dataDir = dataDir;
  }

  @Override
  public PCollectionView<Map<Integer, Galaxy>> expand(PCollection<LabelVector> labelledOriginals) {
    PCollection<KV<Integer, List<KV<Float, Long>>>> top = labelledOriginals
        .apply("ScorePerLabel", ParDo.of(new ScorePerLabel()))
        .setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(FloatCoder.of(), VarLongCoder.of())))
        .apply("TopPerLabel", Top.perKey(1, new ByValueThenSmallerId()));
    PCollectionView<Map<Integer, List<KV<Float, Long>>>> winners = top.apply("AsMap", View.asMap());
    PCollectionView<List<Long>> winnerIds = top
        .apply("WinnerIds", MapElements.into(TypeDescriptors.longs())
            .via((KV<Integer, List<KV<Float, Long>>> label) -> label.getValue().get(0).getValue()))
        .apply("WinnerIdsView", View.asList());
    // Only the winners' records (at most one per label) wait here for the winners map.
    return labelledOriginals.getPipeline().begin()
        .apply("ReadWinners", new PickGalaxies(dataDir, winnerIds))
        .apply("PickWinners", ParDo.of(new PickWinners(winners)).withSideInputs(winners))
        .setCoder(KvCoder.of(VarIntCoder.of(), AvroCoder.of(Galaxy.class)))
        .apply("ByLabel", View.asMap());
  }

  static final class ScorePerLabel extends DoFn<LabelVector, KV<Integer, KV<Float, Long>>> {
    @ProcessElement
    public void process(@Element LabelVector g, OutputReceiver<KV<Integer, KV<Float, Long>>> out) {
      float[] labels = g.labels();
      for (int i = 0; i < labels.length; i++) {
        out.output(KV.of(i, KV.of(labels[i], g.galaxyId())));
      }
    }
  }

  /** Higher value wins; among equal values the smaller GalaxyID, so the result is deterministic. */
  static final class ByValueThenSmallerId implements Comparator<KV<Float, Long>>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(KV<Float, Long> a, KV<Float, Long> b) {
      int byValue = Float.compare(a.getKey(), b.getKey());
      return byValue != 0 ? byValue : Long.compare(b.getValue(), a.getValue());
    }
  }

  static final class PickWinners extends DoFn<Galaxy, KV<Integer, Galaxy>> {
    private final PCollectionView<Map<Integer, List<KV<Float, Long>>>> winners;

    PickWinners(PCollectionView<Map<Integer, List<KV<Float, Long>>>> winners) {
      this.winners = winners;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      Galaxy g = c.element();
      Map<Integer, List<KV<Float, Long>>> best = c.sideInput(winners);
      for (Map.Entry<Integer, List<KV<Float, Long>>> e : best.entrySet()) {
        KV<Float, Long> top = e.getValue().get(0);
        if (top.getValue() == g.getGalaxyId()) {
          c.output(KV.of(e.getKey(), g));
        }
      }
    }
  }
}
