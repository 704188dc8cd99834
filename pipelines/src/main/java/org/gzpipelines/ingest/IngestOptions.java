package org.gzpipelines.ingest;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Typed options of the ingest pipeline; the defaults follow Dieleman et al. 2015. */
public interface IngestOptions extends PipelineOptions {

  @Description("Images: a folder (searched recursively for *.jpg, *.jpeg, *.png), a .zip, or a .tar.gz/.tgz/.tar")
  @Validation.Required
  String getImages();

  void setImages(String value);

  @Description("Labels CSV (GalaxyID + 37 vote fractions, Kaggle header); empty = unlabelled test images")
  String getLabels();

  void setLabels(String value);

  @Description("Folder the pipeline writes train/, val/, test/, dead-letter/ and stats into")
  @Validation.Required
  String getOutputDir();

  void setOutputDir(String value);

  @Description("Expected input image side in pixels; 0 accepts any square image at least --crop-size large")
  @Default.Integer(424)
  int getExpectedSize();

  void setExpectedSize(int value);

  @Description("Side of the centre crop taken from each image")
  @Default.Integer(207)
  int getCropSize();

  void setCropSize(int value);

  @Description("Side of the stored image after resizing the crop")
  @Default.Integer(69)
  int getOutputSize();

  void setOutputSize(int value);

  @Description("Fraction of labelled galaxies assigned to the training split")
  @Default.Double(0.8)
  double getTrainFraction();

  void setTrainFraction(double value);

  @Description("Seed of the GalaxyID hash that assigns the split")
  @Default.Long(42)
  long getSplitSeed();

  void setSplitSeed(long value);

  @Description("Extra rotated/mirrored copies of each training image (0 = no augmentation)")
  @Default.Integer(0)
  int getAugmentCopies();

  void setAugmentCopies(int value);

  @Description("Seed of the per-(GalaxyID, copy) rotation angles and mirror flips")
  @Default.Long(7)
  long getAugmentSeed();

  void setAugmentSeed(long value);

  @Description("Target records per Avro shard when --num-shards is 0")
  @Default.Integer(150)
  int getRecordsPerShard();

  void setRecordsPerShard(int value);

  @Description("Fixed number of shards per split; 0 = from --records-per-shard")
  @Default.Integer(0)
  int getNumShards();

  void setNumShards(int value);

  @Description("Work units of the file reads and of the GalaxyID join (default 4 x cores): more spread work over"
      + " more workers, fewer save the Direct runner's per-bundle overhead")
  @Default.InstanceFactory(FourPerCore.class)
  int getBuckets();

  void setBuckets(int value);

  /** Four work units per core: enough to balance uneven buckets, few enough to keep bundles large. */
  final class FourPerCore implements DefaultValueFactory<Integer> {
    @Override
    public Integer create(PipelineOptions options) {
      return 4 * Runtime.getRuntime().availableProcessors();
    }
  }
}
