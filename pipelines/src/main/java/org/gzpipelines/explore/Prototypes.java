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
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.gzpipelines.schemas.Galaxy;

/**
 * The prototype of each label: the original labelled galaxy with the highest value for it, keyed
 * by label index. A
 * {@link Top} per label over (value, id) pairs only (no pixels cross the shuffle), then one
 * pass that picks the 37 winners' images out of the records.
 */
public final class Prototypes extends PTransform<PCollection<Galaxy>, PCollectionView<Map<Integer, Galaxy>>> {

  @Override
  public PCollectionView<Map<Integer, Galaxy>> expand(PCollection<Galaxy> labelledOriginals) {
    PCollectionView<Map<Integer, List<KV<Float, Long>>>> winners = labelledOriginals
        .apply("ScorePerLabel", ParDo.of(new ScorePerLabel()))
        .setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(FloatCoder.of(), VarLongCoder.of())))
        .apply("TopPerLabel", Top.perKey(1, new ByValueThenSmallerId()))
        .apply("AsMap", View.asMap());
    return labelledOriginals
        .apply("PickWinners", ParDo.of(new PickWinners(winners)).withSideInputs(winners))
        .setCoder(KvCoder.of(VarIntCoder.of(), AvroCoder.of(Galaxy.class)))
        .apply("ByLabel", View.asMap());
  }

  static final class ScorePerLabel extends DoFn<Galaxy, KV<Integer, KV<Float, Long>>> {
    @ProcessElement
    public void process(@Element Galaxy g, OutputReceiver<KV<Integer, KV<Float, Long>>> out) {
      List<Float> labels = g.getLabels();
      for (int i = 0; i < labels.size(); i++) {
        out.output(KV.of(i, KV.of(labels.get(i), g.getGalaxyId())));
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
