package org.gzpipelines.ingest;

import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * The Avro shards of an ingested folder's splits, one opened file per shard (a missing split is
 * simply empty): what a step reads inside one call per shard, so that records never travel between
 * steps in AvroIO's small bundles (docs/ARCHITECTURE.md, "Data between steps").
 */
public final class IngestedShards {
  /** The split folders the ingest stage writes. */
  public static final String[] SPLITS = {"train", "val", "test"};

  private IngestedShards() {}

  /** The shard glob of one folder of the dataset. */
  public static String glob(String dataDir, String folder) {
    return dataDir.replaceAll("/+$", "") + "/" + folder + "/*.avro";
  }

  /** The shards of {@code splits}, opened. */
  public static PCollection<FileIO.ReadableFile> of(PBegin begin, String dataDir, String... splits) {
    PCollectionList<FileIO.ReadableFile> files = PCollectionList.empty(begin.getPipeline());
    for (String split : splits) {
      files = files.and(begin
          .apply("Match " + split, FileIO.match().filepattern(glob(dataDir, split))
              .withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
          .apply("Open " + split, FileIO.readMatches()));
    }
    return files.apply("AllShards", Flatten.pCollections());
  }
}
