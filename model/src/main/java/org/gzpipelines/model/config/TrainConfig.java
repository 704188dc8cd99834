package org.gzpipelines.model.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * The {@code train:} section of an experiment config: data, network, optimiser, schedule, budget,
 * augmentation and bookkeeping intervals. Keys are kebab-case in YAML ({@code batch-size}).
 * Budget: {@code epochs}, or {@code max-images} (images seen), whichever ends first.
 */
public final class TrainConfig implements ExperimentConfigFile.Validated {

  @JsonPropertyDescription("Ingested data folder (holds train/, val/, manifest.json).")
  public String data = "data/gz2";
  /** Run name in MLflow; default: the config file's name. */
  public String runName;
  /**
   * MLflow Model Registry name that {@code gz run} registers its best trained model (of a sweep:
   * the lowest val_rmse) under; default: the experiment's name. A config key only: gz train
   * registers nothing.
   */
  public String registeredModel;
  public Architecture architecture = Architecture.CUSTOM_CNN;
  public CustomCnn customCnn = new CustomCnn();
  public ResNet resnet = new ResNet();
  public Head head = Head.SIGMOID;
  public OptimizerConfig optimizer = new OptimizerConfig();
  public Schedule schedule = new Schedule();
  public int batchSize = 64;
  public Integer epochs = 10;
  @JsonPropertyDescription("Budget in training images seen (with epochs: whichever ends first).")
  public Long maxImages;
  public EarlyStopping earlyStopping = new EarlyStopping();
  public Augment augment = new Augment();
  public long seed = 42;
  /** Validate (full pass over val) every this many training images seen; 0 = once an epoch. */
  public long evalEvery = 0;
  /** Write a resumable checkpoint every this many images seen; 0 = at each evaluation. */
  public long checkpointEvery = 0;
  /** Log the training loss (batch MSE, metric train_loss) every this many batches, at step = images seen. */
  public int logEvery = 5;
  /** Validate on at most this many validation images (0 = all); for quick demos. */
  public long valMaxImages = 0;
  public DeviceChoice device = DeviceChoice.AUTO;
  public Reader reader = new Reader();

  /** Network architectures. */
  public enum Architecture {
    @JsonProperty("mean-baseline") MEAN_BASELINE("mean-baseline"),
    @JsonProperty("custom-cnn") CUSTOM_CNN("custom-cnn"),
    @JsonProperty("resnet18") RESNET18("resnet18"),
    @JsonProperty("resnet34") RESNET34("resnet34");

    private final String yamlName;

    Architecture(String yamlName) {
      this.yamlName = yamlName;
    }

    @Override
    public String toString() {
      return yamlName;
    }
  }

  /** Output heads. */
  public enum Head {
    /** 37 independent sigmoids. */
    @JsonProperty("sigmoid") SIGMOID("sigmoid"),
    /** Per-question softmax multiplied down the Galaxy Zoo decision tree. */
    @JsonProperty("decision-tree") DECISION_TREE("decision-tree");

    private final String yamlName;

    Head(String yamlName) {
      this.yamlName = yamlName;
    }

    @Override
    public String toString() {
      return yamlName;
    }
  }

  /** Where to train. */
  public enum DeviceChoice {
    @JsonProperty("auto") AUTO, @JsonProperty("cpu") CPU, @JsonProperty("gpu") GPU;

    @Override
    public String toString() {
      return name().toLowerCase();
    }
  }

  /** The configurable small CNN: conv blocks (conv + ReLU + pool), then dense layers. */
  public static final class CustomCnn {
    public List<Integer> filters = List.of(32, 64, 128);
    public int kernel = 3;
    /** max or avg. */
    public String pooling = "max";
    public int poolSize = 2;
    public boolean batchNorm = false;
    public List<Integer> dense = List.of(256);
    public float dropout = 0.5f;
  }

  /** ResNet options. */
  public static final class ResNet {
    /**
     * {@code standard}: torchvision's 7x7 stride-2 conv + 3x3 stride-2 max-pool stem;
     * {@code small}: a 3x3 stride-1 conv and no max-pool, for small (e.g. 64x64) inputs, keeping
     * 4x more spatial resolution in the first stage (slower, usually more accurate on GZ).
     */
    public String stem = "standard";
  }

  /** Optimiser. */
  public static final class OptimizerConfig {
    /** adam or sgd (with momentum). */
    public String name = "adam";
    public float lr = 1e-3f;
    public float momentum = 0.9f;
    public float weightDecay = 0f;
  }

  /** Learning-rate schedule. */
  public static final class Schedule {
    /** constant, reduce-on-plateau (on validation loss) or cosine (to min-lr over the budget). */
    public String name = "constant";
    public float factor = 0.5f;
    /** Evaluations without improvement before the LR is lowered. */
    public int patience = 2;
    public float minLr = 1e-5f;
    /** Relative improvement needed to count as better (plateau). */
    public float threshold = 1e-4f;
  }

  /**
   * Early stopping on validation RMSE. The best-validation weights are always kept (the run's
   * {@code best-model/}); {@code model/} holds the last weights.
   */
  public static final class EarlyStopping {
    /** Evaluations without improvement before stopping; 0 = off. */
    public int patience = 0;
  }

  /** On-the-fly augmentation of training batches (the 8 symmetries of the square). */
  public static final class Augment {
    public boolean rotate90 = false;
    public boolean flip = false;
    /** Per-image brightness gain drawn from [1 - b, 1 + b]; 0 = off. Helps transfer to real skies. */
    public double brightness = 0;
    /** Per-image, per-channel colour gain drawn from [1 - c, 1 + c]; 0 = off. */
    public double colour = 0;
    /** Gaussian pixel noise with a per-image sigma drawn from [0, noise] (pixels in [0, 1]); 0 = off. */
    public double noise = 0;
  }

  /** Batch reader. */
  public static final class Reader {
    /** Records held for within-buffer shuffling (bounded memory). */
    public int shuffleBuffer = 4096;
    /** Batches prepared ahead by the background thread. */
    public int prefetch = 4;
  }

  /** Total training images this config may see (the smaller of the two budgets). */
  public long budgetImages(long trainImagesPerEpoch) {
    long byEpochs = epochs == null ? Long.MAX_VALUE : epochs * trainImagesPerEpoch;
    return Math.min(byEpochs, maxImages == null ? Long.MAX_VALUE : maxImages);
  }

  /**
   * Largest batch: a batch is one Java array of batch x image bytes, which overflows beyond about
   * 4,000 images of the largest crops, and no CPU training wants more.
   */
  public static final int MAX_BATCH_SIZE = 4096;

  @Override
  public void validate(String p, List<String> problems) {
    if (data == null || data.isBlank()) {
      problems.add("'" + p + ".data': must name the ingested data folder");
    }
    Ranges.check(problems, p + ".batch-size", batchSize, 1, MAX_BATCH_SIZE);
    Ranges.check(problems, p + ".log-every", logEvery, 1, Integer.MAX_VALUE);
    if (epochs == null && maxImages == null) {
      problems.add("'" + p + ".epochs': set epochs or max-images (a budget in images seen)");
    }
    if (epochs != null) {
      positive(problems, p + ".epochs", epochs);
    }
    if (maxImages != null) {
      positive(problems, p + ".max-images", maxImages);
    }
    nonNegative(problems, p + ".eval-every", evalEvery);
    nonNegative(problems, p + ".checkpoint-every", checkpointEvery);
    nonNegative(problems, p + ".val-max-images", valMaxImages);
    // Bounds far above any useful network, below what would not fit in memory.
    if (customCnn.filters == null || customCnn.filters.isEmpty()
        || customCnn.filters.stream().anyMatch(f -> f == null || f <= 0 || f > 4096)) {
      problems.add("'" + p + ".custom-cnn.filters': must be a non-empty list of integers from 1 to 4096, was "
          + customCnn.filters);
    }
    if (customCnn.dense == null || customCnn.dense.stream().anyMatch(f -> f == null || f <= 0 || f > 65536)) {
      problems.add("'" + p + ".custom-cnn.dense': must be a list of integers from 1 to 65536, was " + customCnn.dense);
    }
    Ranges.check(problems, p + ".custom-cnn.kernel", customCnn.kernel, 1, 31);
    Ranges.check(problems, p + ".custom-cnn.pool-size", customCnn.poolSize, 1, 16);
    oneOf(problems, p + ".custom-cnn.pooling", customCnn.pooling, "max", "avg");
    if (!(customCnn.dropout >= 0 && customCnn.dropout < 1)) {
      problems.add("'" + p + ".custom-cnn.dropout': must be in [0, 1), was " + customCnn.dropout);
    }
    oneOf(problems, p + ".resnet.stem", resnet.stem, "standard", "small");
    oneOf(problems, p + ".optimizer.name", optimizer.name, "adam", "sgd");
    if (!(optimizer.lr > 0)) {
      problems.add("'" + p + ".optimizer.lr': must be positive, was " + optimizer.lr);
    }
    if (!(optimizer.momentum >= 0 && optimizer.momentum < 1)) {
      problems.add("'" + p + ".optimizer.momentum': must be in [0, 1), was " + optimizer.momentum);
    }
    if (!(optimizer.weightDecay >= 0)) {
      problems.add("'" + p + ".optimizer.weight-decay': must be >= 0, was " + optimizer.weightDecay);
    }
    oneOf(problems, p + ".schedule.name", schedule.name, "constant", "reduce-on-plateau", "cosine");
    if (!(schedule.factor > 0 && schedule.factor < 1)) {
      problems.add("'" + p + ".schedule.factor': must be in (0, 1), was " + schedule.factor);
    }
    if (schedule.patience < 0) {
      problems.add("'" + p + ".schedule.patience': must be >= 0, was " + schedule.patience);
    }
    if (!(schedule.minLr >= 0 && schedule.minLr <= optimizer.lr)) {
      // Written plainly (0.00001, not 1.0E-5), as the config and the runs' parameters write them.
      problems.add("'" + p + ".schedule.min-lr': must be in [0, optimizer.lr = "
          + ExperimentConfigFile.plain(Float.toString(optimizer.lr)) + "], was "
          + ExperimentConfigFile.plain(Float.toString(schedule.minLr)) + ": lower schedule.min-lr, or raise optimizer.lr");
    }
    if (earlyStopping.patience < 0) {
      problems.add("'" + p + ".early-stopping.patience': must be >= 0, was " + earlyStopping.patience);
    }
    // Both are held in memory: records for shuffling, batches read ahead.
    Ranges.check(problems, p + ".reader.shuffle-buffer", reader.shuffleBuffer, 1, 100_000);
    Ranges.check(problems, p + ".reader.prefetch", reader.prefetch, 1, 64);
  }

  private static void positive(List<String> problems, String key, long v) {
    if (v <= 0) {
      problems.add("'" + key + "': must be positive, was " + v);
    }
  }

  private static void nonNegative(List<String> problems, String key, long v) {
    if (v < 0) {
      problems.add("'" + key + "': must be >= 0, was " + v);
    }
  }

  private static void oneOf(List<String> problems, String key, String v, String... allowed) {
    if (!List.of(allowed).contains(v)) {
      problems.add("'" + key + "': must be one of " + List.of(allowed) + ", was '" + v + "'");
    }
  }
}
