package org.gzpipelines.explore;

import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.gzpipelines.schemas.Galaxy;

/**
 * Reads every Galaxy record of an ingested dataset: the Avro shards of train/, val/ and test/
 * (a missing split is simply empty).
 */
public final class ReadIngested extends PTransform<PBegin, PCollection<Galaxy>> {
  /** The split folders the ingest stage writes. */
  public static final String[] SPLITS = {"train", "val", "test"};

  private final String dataDir;

  public ReadIngested(String dataDir) {
    this.dataDir = dataDir;
  }

  /** The shard glob of one folder of the dataset. */
  public static String shards(String dataDir, String folder) {
    return dataDir.replaceAll("/+$", "") + "/" + folder + "/*.avro";
  }

  @Override
  public PCollection<Galaxy> expand(PBegin begin) {
    PCollectionList<Galaxy> splits = PCollectionList.empty(begin.getPipeline());
    for (String split : SPLITS) {
      splits = splits.and(begin.apply("Read " + split,
          AvroIO.read(Galaxy.class).from(shards(dataDir, split))
              .withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW)));
    }
    return splits.apply("AllSplits", Flatten.pCollections());
  }
}
