package org.gzpipelines.ingest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.gzpipelines.schemas.DeadLetter;

/**
 * Joins images to label rows by GalaxyID. Emits one {@link LabelledImage} per GalaxyID that has
 * exactly one usable image (and one label row when labels are given); ids that cannot be read from
 * a file name, images without labels, label rows without images and duplicates become dead
 * letters. Without labels ({@link #imagesOnly()}) every image with a readable, unique id passes
 * unlabelled. The images are still JPEG bytes here, the smallest form to shuffle.
 *
 * <p>The CoGroupByKey groups by a hash bucket of the GalaxyID, not by the GalaxyID itself, and
 * each bucket is matched in memory. The Direct runner makes every group of a GroupByKey its own
 * bundle, and its per-bundle cost (evaluator set-up, ~10 ms here) paid once per galaxy in every
 * step after the join made ingest 30x slower than decoding; with a few dozen buckets the cost is
 * paid a few dozen times. A bucket holds about 1/buckets of the images at once.
 */
public final class JoinAndValidate extends PTransform<PCollectionTuple, PCollectionTuple> {
  public static final TupleTag<LabelledImage> JOINED = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  private static final TupleTag<KV<Long, ImageFile>> IMAGE = new TupleTag<>() {};
  private static final TupleTag<KV<Long, LabelRow>> ROW = new TupleTag<>() {};
  private static final TupleTag<KV<Integer, KV<Long, ImageFile>>> KEYED = new TupleTag<>() {};

  private final boolean labelled;
  private final int buckets;

  private JoinAndValidate(boolean labelled, int buckets) {
    this.labelled = labelled;
    this.buckets = buckets;
  }

  /** Input: {@link ReadImages#IMAGES} and {@link ReadLabels#ROWS}. */
  public static JoinAndValidate withLabels(int buckets) {
    return new JoinAndValidate(true, buckets);
  }

  /** Input: {@link ReadImages#IMAGES} only; the output carries null labels. */
  public static JoinAndValidate imagesOnly(int buckets) {
    return new JoinAndValidate(false, buckets);
  }

  @Override
  public PCollectionTuple expand(PCollectionTuple input) {
    int n = buckets;
    PCollectionTuple keyed =
        input.get(ReadImages.IMAGES)
            .apply("KeyById", ParDo.of(new KeyByIdFn(n)).withOutputTags(KEYED, TupleTagList.of(DEAD_LETTERS)));
    keyed.get(KEYED).setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(VarLongCoder.of(), ImageFile.Coder.of())));
    KeyedPCollectionTuple<Integer> join = KeyedPCollectionTuple.of(IMAGE, keyed.get(KEYED));
    if (labelled) {
      PCollection<KV<Integer, KV<Long, LabelRow>>> rows =
          input.get(ReadLabels.ROWS)
              .apply("BucketRows", MapElements.via(new SimpleFunction<KV<Long, LabelRow>, KV<Integer, KV<Long, LabelRow>>>() {
                @Override
                public KV<Integer, KV<Long, LabelRow>> apply(KV<Long, LabelRow> row) {
                  return KV.of(bucket(row.getKey(), n), row);
                }
              }))
              .setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(VarLongCoder.of(), LabelRow.Coder.of())));
      join = join.and(ROW, rows);
    }
    PCollectionTuple matched =
        join.apply("GroupByIdBucket", CoGroupByKey.create())
            .apply("Match", ParDo.of(new MatchFn(labelled)).withOutputTags(JOINED, TupleTagList.of(DEAD_LETTERS)));
    matched.get(JOINED).setCoder(LabelledImage.Coder.of());
    PCollection<DeadLetter> dead =
        PCollectionList.of(keyed.get(DEAD_LETTERS).setCoder(AvroCoder.of(DeadLetter.class)))
            .and(matched.get(DEAD_LETTERS).setCoder(AvroCoder.of(DeadLetter.class)))
            .apply("DeadLetters", Flatten.pCollections());
    return PCollectionTuple.of(JOINED, matched.get(JOINED)).and(DEAD_LETTERS, dead);
  }

  static int bucket(long galaxyId, int buckets) {
    return Math.floorMod(Long.hashCode(galaxyId * 0x9E3779B97F4A7C15L), buckets);
  }

  /** The GalaxyID is the file name without its extension, e.g. {@code 100008.jpg}. */
  static final class KeyByIdFn extends DoFn<ImageFile, KV<Integer, KV<Long, ImageFile>>> {
    private final int buckets;

    KeyByIdFn(int buckets) {
      this.buckets = buckets;
    }

    @ProcessElement
    public void process(@Element ImageFile image, MultiOutputReceiver out) {
      Long id = image.galaxyId();
      if (id == null) {
        out.get(DEAD_LETTERS)
            .output(Problem.BAD_ID.deadLetter(image.source(), null, image.badNameReason()));
      } else {
        out.get(KEYED).output(KV.of(bucket(id, buckets), KV.of(id, image)));
      }
    }
  }

  /** Matches the images and rows of one bucket by GalaxyID. */
  static final class MatchFn extends DoFn<KV<Integer, CoGbkResult>, LabelledImage> {
    private final boolean labelled;

    MatchFn(boolean labelled) {
      this.labelled = labelled;
    }

    @ProcessElement
    public void process(@Element KV<Integer, CoGbkResult> group, MultiOutputReceiver out) {
      Map<Long, List<ImageFile>> images = new TreeMap<>();
      Map<Long, List<LabelRow>> rows = new TreeMap<>();
      group.getValue().getAll(IMAGE).forEach(kv -> images.computeIfAbsent(kv.getKey(), k -> new ArrayList<>()).add(kv.getValue()));
      if (labelled) {
        group.getValue().getAll(ROW).forEach(kv -> rows.computeIfAbsent(kv.getKey(), k -> new ArrayList<>()).add(kv.getValue()));
      }
      Set<Long> ids = new TreeSet<>(images.keySet());
      ids.addAll(rows.keySet());
      for (long id : ids) {
        match(id, images.getOrDefault(id, List.of()), rows.getOrDefault(id, List.of()), out);
      }
    }

    private void match(long id, List<ImageFile> images, List<LabelRow> rows, MultiOutputReceiver out) {
      String idText = Long.toString(id);
      // Sort so that the kept duplicate is the same on every runner and every run.
      images = images.stream().sorted(Comparator.comparing(ImageFile::source)).toList();
      rows = rows.stream().sorted(Comparator.comparing((LabelRow r) -> r.source().length()).thenComparing(LabelRow::source)).toList();
      for (int i = 1; i < images.size(); i++) {
        out.get(DEAD_LETTERS).output(Problem.DUPLICATE_ID.deadLetter(images.get(i).source(), idText,
            "GalaxyID " + id + " has another image, " + images.get(0).source() + ", which was kept"));
      }
      for (int i = 1; i < rows.size(); i++) {
        out.get(DEAD_LETTERS).output(Problem.DUPLICATE_ID.deadLetter(rows.get(i).source(), idText,
            "GalaxyID " + id + " has another labels row, " + rows.get(0).source() + ", which was kept"));
      }
      if (images.isEmpty()) {
        out.get(DEAD_LETTERS).output(Problem.NO_IMAGE.deadLetter(rows.get(0).source(), idText,
            "labels row for GalaxyID " + id + " has no image " + id + ".jpg"));
        return;
      }
      if (labelled && rows.isEmpty()) {
        out.get(DEAD_LETTERS).output(Problem.NO_LABELS.deadLetter(images.get(0).source(), idText,
            "image of GalaxyID " + id + " has no valid row in the labels file"));
        return;
      }
      float[] labels = labelled ? rows.get(0).labels() : null;
      out.get(JOINED).output(new LabelledImage(id, images.get(0), labels, null));
    }
  }
}
