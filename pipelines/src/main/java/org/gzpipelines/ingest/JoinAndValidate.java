package org.gzpipelines.ingest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SimpleFunction;
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
 * Joins the image names to label rows by GalaxyID and chooses what ingest reads: one image per
 * GalaxyID that has exactly one usable image (and one label row when labels are given), as {@code
 * source -> labels row} (tag {@link #CHOSEN}). Ids that cannot be read from a file name, images
 * without labels, label rows without images and duplicates become dead letters. Without labels
 * ({@link #imagesOnly}) every image with a readable, unique id is chosen with a row of null labels.
 *
 * <p>Names only, never bytes: the Direct runner holds a GroupByKey's whole input in memory. The
 * GalaxyID is in the file name, so (1) the image names are listed ({@link ReadImages#list}); (2) a
 * CoGroupByKey of (id -> name) and (id -> label row) picks each id's image and row and dead-letters
 * the rest; {@link IngestImages} then reads the chosen files.
 *
 * <p>The CoGroupByKey groups by a hash bucket of the GalaxyID, not by the GalaxyID itself, and
 * each bucket is matched in memory: the Direct runner makes every group of a GroupByKey its own
 * bundle, and its per-bundle cost (~10 ms here) paid once per galaxy made ingest 30x slower.
 */
public final class JoinAndValidate extends PTransform<PCollectionTuple, PCollectionTuple> {
  public static final TupleTag<KV<String, LabelRow>> CHOSEN = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  /** Buckets of the id join: enough to match on a few workers; the join moves names only. */
  static final int BUCKETS = 16;
  /**
   * The order of sources ("labels.csv:9", "images/100008.jpg"): shorter first, so that a file's
   * rows come in line order (":9" before ":10"), then by text. Which duplicate row is kept, and
   * which dead letters a summary shows first, follow it.
   */
  static final Comparator<String> SOURCE_ORDER = Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder());

  private static final TupleTag<KV<Long, String>> IMAGE = new TupleTag<>() {};
  private static final TupleTag<KV<Long, LabelRow>> ROW = new TupleTag<>() {};
  private static final TupleTag<KV<Integer, KV<Long, String>>> KEYED = new TupleTag<>() {};

  private final String images;
  private final boolean labelled;

  private JoinAndValidate(String images, boolean labelled) {
    this.images = images;
    this.labelled = labelled;
  }

  /** Chooses among the images at {@code images} (a folder, .zip or .tar.gz) joined to the input's {@link ReadLabels#ROWS}. */
  public static JoinAndValidate withLabels(String images) {
    return new JoinAndValidate(images, true);
  }

  /** As {@link #withLabels} with no labels (the input tuple may be empty); the rows carry null labels. */
  public static JoinAndValidate imagesOnly(String images) {
    return new JoinAndValidate(images, false);
  }

  @Override
  public PCollectionTuple expand(PCollectionTuple input) {
    PCollectionTuple names = input.getPipeline().begin().apply("ListImages", ReadImages.list(images));
    PCollectionTuple keyed =
        names.get(ReadImages.SOURCES)
            .apply("KeyById", ParDo.of(new KeyByIdFn(BUCKETS)).withOutputTags(KEYED, TupleTagList.of(DEAD_LETTERS)));
    keyed.get(KEYED).setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of())));
    KeyedPCollectionTuple<Integer> join = KeyedPCollectionTuple.of(IMAGE, keyed.get(KEYED));
    if (labelled) {
      PCollection<KV<Integer, KV<Long, LabelRow>>> rows =
          input.get(ReadLabels.ROWS)
              .apply("BucketRows", MapElements.via(new SimpleFunction<KV<Long, LabelRow>, KV<Integer, KV<Long, LabelRow>>>() {
                @Override
                public KV<Integer, KV<Long, LabelRow>> apply(KV<Long, LabelRow> row) {
                  return KV.of(bucket(row.getKey(), BUCKETS), row);
                }
              }))
              .setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(VarLongCoder.of(), LabelRow.Coder.of())));
      join = join.and(ROW, rows);
    }
    PCollectionTuple matched =
        join.apply("GroupIdsByBucket", CoGroupByKey.create())
            .apply("Match", ParDo.of(new MatchFn(labelled)).withOutputTags(CHOSEN, TupleTagList.of(DEAD_LETTERS)));
    matched.get(CHOSEN).setCoder(KvCoder.of(StringUtf8Coder.of(), LabelRow.Coder.of()));
    PCollection<DeadLetter> dead =
        PCollectionList.of(names.get(ReadImages.DEAD_LETTERS))
            .and(keyed.get(DEAD_LETTERS).setCoder(AvroCoder.of(DeadLetter.class)))
            .and(matched.get(DEAD_LETTERS).setCoder(AvroCoder.of(DeadLetter.class)))
            .apply("DeadLetters", Flatten.pCollections());
    return PCollectionTuple.of(CHOSEN, matched.get(CHOSEN)).and(DEAD_LETTERS, dead);
  }

  static int bucket(long galaxyId, int buckets) {
    return Math.floorMod(Long.hashCode(galaxyId * 0x9E3779B97F4A7C15L), buckets);
  }

  /** The GalaxyID is the file name without its extension, e.g. {@code 100008.jpg}. */
  static final class KeyByIdFn extends DoFn<String, KV<Integer, KV<Long, String>>> {
    private final int buckets;

    KeyByIdFn(int buckets) {
      this.buckets = buckets;
    }

    @ProcessElement
    public void process(@Element String source, MultiOutputReceiver out) {
      Long id = ImageFile.galaxyId(source);
      if (id == null) {
        out.get(DEAD_LETTERS).output(Problem.BAD_ID.deadLetter(source, null, ImageFile.badNameReason(source)));
      } else {
        out.get(KEYED).output(KV.of(bucket(id, buckets), KV.of(id, source)));
      }
    }
  }

  /**
   * Matches the image names and rows of one bucket by GalaxyID: emits the chosen image's name with
   * its row (a row with null labels when unlabelled), and dead letters for everything else.
   */
  static final class MatchFn extends DoFn<KV<Integer, CoGbkResult>, KV<String, LabelRow>> {
    private final boolean labelled;

    MatchFn(boolean labelled) {
      this.labelled = labelled;
    }

    @ProcessElement
    public void process(@Element KV<Integer, CoGbkResult> group, MultiOutputReceiver out) {
      Map<Long, List<String>> images = new TreeMap<>();
      Map<Long, List<LabelRow>> rows = new TreeMap<>();
      group.getValue().getAll(IMAGE).forEach(kv -> images.computeIfAbsent(kv.getKey(), k -> new ArrayList<>()).add(kv.getValue()));
      Set<Long> rejected = new TreeSet<>();
      if (labelled) {
        for (KV<Long, LabelRow> kv : group.getValue().getAll(ROW)) {
          if (kv.getValue().isRejected()) {
            rejected.add(kv.getKey());
          } else {
            rows.computeIfAbsent(kv.getKey(), k -> new ArrayList<>()).add(kv.getValue());
          }
        }
      }
      Set<Long> ids = new TreeSet<>(images.keySet());
      ids.addAll(rows.keySet());
      for (long id : ids) {
        List<LabelRow> idRows = rows.getOrDefault(id, List.of());
        if (idRows.isEmpty() && rejected.contains(id)) {
          continue; // its only rows failed to parse, and each has its dead letter
        }
        match(id, images.getOrDefault(id, List.of()), idRows, out);
      }
    }

    private void match(long id, List<String> images, List<LabelRow> rows, MultiOutputReceiver out) {
      String idText = Long.toString(id);
      // Sort so that the kept duplicate is the same on every runner and every run.
      images = images.stream().sorted().toList();
      rows = rows.stream().sorted(Comparator.comparing(LabelRow::source, SOURCE_ORDER)).toList();
      for (int i = 1; i < images.size(); i++) {
        out.get(DEAD_LETTERS).output(Problem.DUPLICATE_ID.deadLetter(images.get(i), idText,
            "GalaxyID " + id + " has another image, " + images.get(0) + ", which was kept"));
      }
      for (int i = 1; i < rows.size(); i++) {
        out.get(DEAD_LETTERS).output(Problem.DUPLICATE_ID.deadLetter(rows.get(i).source(), idText,
            "GalaxyID " + id + " has another labels row, " + rows.get(0).source() + ", which was kept"));
      }
      if (images.isEmpty()) {
        out.get(DEAD_LETTERS).output(Problem.NO_IMAGE.deadLetter(rows.get(0).source(), idText,
            "labels row for GalaxyID " + id + " has no image " + id + ".jpg, .jpeg or .png"));
        return;
      }
      if (labelled && rows.isEmpty()) {
        out.get(DEAD_LETTERS).output(Problem.NO_LABELS.deadLetter(images.get(0), idText,
            "image of GalaxyID " + id + " has no valid row in the labels file"));
        return;
      }
      out.get(CHOSEN).output(KV.of(images.get(0), labelled ? rows.get(0) : new LabelRow(images.get(0), null)));
    }
  }
}
