package org.gzpipelines.explore;

import java.io.Serializable;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.gzpipelines.beam.MergingCombineFn;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;

/**
 * Record counts per split (all records, originals, labelled, unlabelled) and the range of image
 * dimensions, as one combiner with a handful of counters.
 */
public final class DatasetCounts extends PTransform<PCollection<GalaxyRow>, PCollectionView<DatasetCounts.Tally>> {

  @Override
  public PCollectionView<Tally> expand(PCollection<GalaxyRow> galaxies) {
    return galaxies.apply("Tally", Combine.globally(MergingCombineFn.of(
        Tally::new, Tally::add, Tally::merge, SerializedCoder.of(Tally.class))).asSingletonView());
  }

  /** The counters; split names are lower case (train, val, test). */
  public static final class Tally implements Serializable {
    private static final long serialVersionUID = 1L;
    final TreeMap<String, Long> records = new TreeMap<>();
    final TreeMap<String, Long> originals = new TreeMap<>();
    final TreeMap<String, Long> labelled = new TreeMap<>();
    final TreeMap<String, Long> unlabelled = new TreeMap<>();
    int minHeight = Integer.MAX_VALUE;
    int maxHeight;
    int minWidth = Integer.MAX_VALUE;
    int maxWidth;
    int minChannels = Integer.MAX_VALUE;
    int maxChannels;
    long originalPixelBytes;
    long wrongLabelCount;

    void add(GalaxyRow g) {
      String split = g.split().name().toLowerCase(java.util.Locale.ROOT);
      records.merge(split, 1L, Long::sum);
      minHeight = Math.min(minHeight, g.height());
      maxHeight = Math.max(maxHeight, g.height());
      minWidth = Math.min(minWidth, g.width());
      maxWidth = Math.max(maxWidth, g.width());
      minChannels = Math.min(minChannels, g.channels());
      maxChannels = Math.max(maxChannels, g.channels());
      if (g.isOriginal()) {
        originals.merge(split, 1L, Long::sum);
        (g.labels() != null ? labelled : unlabelled).merge(split, 1L, Long::sum);
        // Ingest writes one byte per pixel and channel.
        originalPixelBytes += (long) g.height() * g.width() * g.channels();
        if (g.labels() != null && g.labels().length != GalaxyZooTaxonomy.ANSWER_COUNT) {
          wrongLabelCount++;
        }
      }
    }

    void merge(Tally o) {
      o.records.forEach((k, v) -> records.merge(k, v, Long::sum));
      o.originals.forEach((k, v) -> originals.merge(k, v, Long::sum));
      o.labelled.forEach((k, v) -> labelled.merge(k, v, Long::sum));
      o.unlabelled.forEach((k, v) -> unlabelled.merge(k, v, Long::sum));
      minHeight = Math.min(minHeight, o.minHeight);
      maxHeight = Math.max(maxHeight, o.maxHeight);
      minWidth = Math.min(minWidth, o.minWidth);
      maxWidth = Math.max(maxWidth, o.maxWidth);
      minChannels = Math.min(minChannels, o.minChannels);
      maxChannels = Math.max(maxChannels, o.maxChannels);
      originalPixelBytes += o.originalPixelBytes;
      wrongLabelCount += o.wrongLabelCount;
    }

    /** Copies the counters into the results. */
    void into(ExploreResults r) {
      for (String split : new String[] {"train", "val", "test"}) {
        r.counts.records.put(split, records.getOrDefault(split, 0L));
        r.counts.originals.put(split, originals.getOrDefault(split, 0L));
        r.counts.labelled.put(split, labelled.getOrDefault(split, 0L));
        r.counts.unlabelled.put(split, unlabelled.getOrDefault(split, 0L));
      }
      boolean any = maxHeight > 0;
      r.shapes.minHeight = any ? minHeight : 0;
      r.shapes.maxHeight = maxHeight;
      r.shapes.minWidth = any ? minWidth : 0;
      r.shapes.maxWidth = maxWidth;
      r.shapes.minChannels = any ? minChannels : 0;
      r.shapes.maxChannels = maxChannels;
      r.shapes.originalRecordPixelBytes = originalPixelBytes;
      if (wrongLabelCount > 0) {
        r.notes.add(wrongLabelCount + " labelled records have a label vector that is not "
            + GalaxyZooTaxonomy.ANSWER_COUNT + " long and are left out of the label statistics;"
            + " re-run gz ingest to rewrite the dataset");
      }
    }
  }
}
