package org.gzpipelines.explore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gzpipelines.files.AtomicFiles;

/**
 * Everything the explore pipeline computed: small (O(37^2 + bins + sampled images)), plain data,
 * written as {@code results.json} and handed to the renderer. The pipeline computes, the
 * renderer draws.
 */
public final class ExploreResults implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Label-statistics keys: all labelled originals, and per split. */
  public static final String ALL = "all";
  public static final String TRAIN = "train";
  public static final String VAL = "val";

  public String dataDir;
  public long seed;
  public Counts counts = new Counts();
  public long deadLetters;
  public List<String> deadLetterExamples = new ArrayList<>();
  public Shapes shapes = new Shapes();
  public Memory memory = new Memory();
  /** Storage: bytes of the Avro shards and, where the manifest has them, of the original files. */
  public Map<String, Long> bytesOnDisk = new LinkedHashMap<>();
  public List<Image> sample = new ArrayList<>();
  public Map<String, List<LabelSummary>> labelStatistics = new LinkedHashMap<>();
  /** Pearson correlation of the 37 labels over all labelled originals; NaN where a label is constant. */
  public double[][] correlation;
  public long correlationCount;
  public List<Image> prototypes = new ArrayList<>();
  public List<TreeDeviation> treeConsistency = new ArrayList<>();
  /** Notes for the reader (fallbacks used, missing inputs). */
  public List<String> notes = new ArrayList<>();

  /** Record counts per split, from the Avro shards. */
  public static final class Counts implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Per split (train/val/test): every record, including augmented copies. */
    public Map<String, Long> records = new LinkedHashMap<>();
    /** Per split: original images (copyIndex 0), i.e. distinct galaxies. */
    public Map<String, Long> originals = new LinkedHashMap<>();
    /** Per split: originals with labels. */
    public Map<String, Long> labelled = new LinkedHashMap<>();
    /** Per split: originals without labels. */
    public Map<String, Long> unlabelled = new LinkedHashMap<>();

    public long total(Map<String, Long> perSplit) {
      return perSplit.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** Image dimensions: of the ingested (downsampled) records and of the original images. */
  public static final class Shapes implements Serializable {
    private static final long serialVersionUID = 1L;
    public int minHeight;
    public int maxHeight;
    public int minWidth;
    public int maxWidth;
    public int minChannels;
    public int maxChannels;
    /** Sum of pixel bytes over the original (copyIndex 0) records. */
    public long originalRecordPixelBytes;
    public int rawHeight;
    public int rawWidth;
    public int rawChannels;
    /** Where the raw size came from: the manifest, or the Kaggle default when it has none. */
    public String rawSizeSource;
    /** Side of ingest's centre crop before resizing (0 if unknown). */
    public int cropSize;
  }

  /** Bytes needed to hold every image in memory, before and after downsampling. */
  public static final class Memory implements Serializable {
    private static final long serialVersionUID = 1L;
    public long images;
    public long rawUint8Bytes;
    public long rawFloat32Bytes;
    public long downsampledUint8Bytes;
    public long downsampledFloat32Bytes;
    public double reductionFactor;
  }

  /** One image shown in the report: a sampled galaxy or a label's prototype. */
  public static final class Image implements Serializable {
    private static final long serialVersionUID = 1L;
    public long galaxyId;
    public String split;
    public int height;
    public int width;
    public int channels;
    /** uint8 HWC; JSON carries it as base64. */
    public byte[] pixels;
    /** For a prototype: the label index (0-36), its name and value; -1 otherwise. */
    public int labelIndex = -1;
    public String labelName;
    public double labelValue;
  }

  /** A label's distribution summary over one set of galaxies. */
  public static final class LabelSummary implements Serializable {
    private static final long serialVersionUID = 1L;
    public String id;
    public String name;
    public long count;
    public double mean;
    public double std;
    public double median;
    public double min;
    public double max;
    public double zeroFraction;
    public double skewness;
    public double excessKurtosis;
    public double bimodalityCoefficient;
    public int peaks;
    public boolean multimodal;
    public long outOfRange;
    /** Fraction of galaxies in each of {@link LabelStatistics#DISPLAY_BINS} equal bins over [0, 1]. */
    public double[] histogram;
  }

  /** How well one question's answers sum to their parent's value. */
  public static final class TreeDeviation implements Serializable {
    private static final long serialVersionUID = 1L;
    public int question;
    public String text;
    /** e.g. "Class1.2 (features or disk)" or "1". */
    public String parent;
    public long count;
    public double mean;
    public double std;
    public double maxAbs;
    /** Fraction with |deviation| <= 1e-3. */
    public double withinTolerance;
    public double histogramLo;
    public double histogramHi;
    public double[] histogram;
  }

  private static ObjectMapper mapper() {
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  }

  public String toJson() {
    try {
      return mapper().writeValueAsString(this);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write explore results as JSON", e);
    }
  }

  public static ExploreResults fromJson(String json) {
    try {
      return mapper().readValue(json, ExploreResults.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("not an explore results JSON: " + e.getMessage(), e);
    }
  }

  /** Writes the JSON atomically (temp name, then rename). */
  public void write(Path file) throws IOException {
    AtomicFiles.writeString(file, toJson());
  }

  public static ExploreResults read(Path file) throws IOException {
    return fromJson(Files.readString(file));
  }
}
