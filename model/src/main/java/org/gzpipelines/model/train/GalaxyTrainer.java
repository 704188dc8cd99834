package org.gzpipelines.model.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.model.config.TrainConfig;
import org.gzpipelines.model.data.GalaxyBatchReader;
import org.gzpipelines.model.data.HostBatch;
import org.gzpipelines.model.data.Manifest;
import org.gzpipelines.model.data.Preprocessing;
import org.gzpipelines.model.data.Seeds;
import org.gzpipelines.model.data.ShardCheck;
import org.gzpipelines.model.data.ShardSet;
import org.gzpipelines.model.net.Networks;
import org.gzpipelines.model.predict.SavedModel;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.gzpipelines.tracking.RunStatus;
import org.gzpipelines.tracking.SharedPaths;
import org.gzpipelines.tracking.ShortRunIds;
import org.gzpipelines.tracking.TrackedRun;

/**
 * Trains one network as a config's {@code train:} section says, logging everything to a {@link
 * TrackedRun}: the whole config as parameters, training and validation RMSE against images seen,
 * the models, the history CSV, the loss curve and a resumable checkpoint.
 *
 * <p>The loss is the mean squared error over images and all 37 outputs ({@code Loss.l2Loss("mse",
 * 1f)}; DJL's default l2Loss is half of it), so sqrt(loss) is the Kaggle RMSE. The loop is DJL's
 * explicit one (forward, loss, backward, step) rather than {@code EasyTrain.fit}, because
 * evaluations, checkpoints and the LR schedule run on a clock of images seen, not epochs, and each
 * batch needs its own NDManager so native memory stays flat.
 *
 * <p>Everything random is a function of (seed, epoch, batch): the data order, the augmentation and
 * the engine's RNG (dropout) are re-seeded for every batch, so a resumed run continues exactly.
 */
public final class GalaxyTrainer {

  /** Working files of a run live in {@code <run folder>/train/}. */
  public static final String WORK_DIR = "train";
  public static final String CHECKPOINT_DIR = "checkpoint";
  public static final String MODEL_DIR = "model";
  public static final String BEST_MODEL_DIR = "best-model";
  public static final String HISTORY_CSV = "history.csv";
  public static final String LOSS_CURVE_PNG = "loss-curve.png";
  /** On a training run: its architecture, as train.architecture writes it ({@code mean-baseline}, ...). */
  public static final String ARCHITECTURE_TAG = "gz.architecture";

  /** Tag of a run that continues another run's checkpoint in a new run: the other run's id. */
  public static final String RESUMED_FROM_TAG = "gz.resumed_from";

  /** What a finished (or stopped) run achieved. */
  public record Result(String runId, Path workDir, RunStatus status, long imagesSeen, double finalValRmse,
      double bestValRmse, long parameters) {}

  /** Called after every training batch: how tests stop a run at a chosen point to check its resume. */
  public interface BatchListener {
    void afterBatch(GalaxyTrainer trainer, long imagesSeen);
  }

  private final ExperimentConfigFile config;
  private final TrainConfig c;
  private volatile boolean stopRequested;
  private PrintStream console = System.err;
  private BatchListener listener = (t, n) -> {};

  public GalaxyTrainer(ExperimentConfigFile config) {
    this.c = config.section("train", TrainConfig.class);
    this.config = config.withSection("train", c);
  }

  /** Where the progress bar and summaries go; null for silence. */
  public GalaxyTrainer console(PrintStream out) {
    this.console = out;
    return this;
  }

  public GalaxyTrainer onBatch(BatchListener l) {
    this.listener = l;
    return this;
  }

  public TrainConfig trainConfig() {
    return c;
  }

  /**
   * Refuses a resume with nothing left to train (before any run is opened): the checkpoint has seen
   * this config's whole budget, e.g. a finished run, or a larger train.max-images that train.epochs
   * still caps.
   */
  public void checkResumable(Path checkpoint) {
    long seen = Checkpoint.readProgress(checkpoint).imagesSeen();
    long perEpoch = ShardCheck.split(Path.of(c.data), "train").countRecords();
    long budget = c.budgetImages(perEpoch);
    if (seen >= budget) {
      boolean epochsCap = c.epochs != null && (long) c.epochs * perEpoch == budget;
      throw new UserError(String.format(Locale.ROOT, "nothing to train: the checkpoint %s has seen %,d images, and"
          + " this config's budget is %,d (%s); to train further, raise %s with --set", checkpoint, seen, budget,
          epochsCap ? "train.epochs: " + c.epochs + " x " + String.format(Locale.ROOT, "%,d", perEpoch) + " images an epoch"
              : "train.max-images: " + c.maxImages,
          epochsCap ? "train.epochs (and train.max-images, if set)" : "train.max-images"));
    }
  }

  /** Whether {@code other} trains with exactly this config's parameters (as the run logs them). */
  public boolean sameParameters(ExperimentConfigFile other) {
    return new GalaxyTrainer(other).config.flatten().equals(config.flatten());
  }

  /**
   * Whether a run of section {@code c} depends on the train key {@code key} (below {@code train.},
   * e.g. {@code augment.noise}): a network on every key but the other architectures' sections, the
   * mean baseline on its few ({@link MeanBaseline#KEYS}). A training run logs these keys, and
   * {@code gz run} fingerprints it by them.
   */
  public static boolean dependsOn(TrainConfig c, String key) {
    return switch (c.architecture) {
      case MEAN_BASELINE -> MeanBaseline.KEYS.contains(key);
      case CUSTOM_CNN -> !key.startsWith("resnet.");
      case RESNET18, RESNET34 -> !key.startsWith("custom-cnn.");
    };
  }

  /** Asks the loop to stop after the current batch, write a checkpoint and end the run KILLED. */
  public void requestStop() {
    stopRequested = true;
  }

  /**
   * Trains (or continues from {@code resumeCheckpoint}, a {@code checkpoint/} folder) and ends the
   * run with FINISHED, or KILLED after {@link #requestStop}. Failures end it FAILED and rethrow.
   */
  public Result train(TrackedRun run, Path resumeCheckpoint) {
    try {
      Result r = c.architecture == TrainConfig.Architecture.MEAN_BASELINE
          ? new MeanBaseline(config, c, console).run(run)
          : trainNetwork(run, resumeCheckpoint);
      run.end(r.status());
      return r;
    } catch (RuntimeException | Error e) {
      run.end(RunStatus.FAILED);
      throw e;
    }
  }

  /**
   * The images a training of {@code budget} images really sees: it stops at the first batch that
   * reaches the budget, and an epoch's last batch holds what is left of it.
   */
  static long wholeBatches(long budget, long perEpoch, int batchSize) {
    long epochs = budget / perEpoch;
    long rest = budget % perEpoch;
    return epochs * perEpoch + Math.min(perEpoch, (rest + batchSize - 1) / batchSize * batchSize);
  }

  private Result trainNetwork(TrackedRun run, Path resumeDir) {
    Path data = Path.of(c.data);
    ShardSet trainSet = ShardCheck.split(data, "train");
    ShardSet valSet = ShardCheck.split(data, "val");
    long perEpoch = trainSet.countRecords();
    long budget = c.budgetImages(perEpoch);
    long evalEvery = c.evalEvery > 0 ? c.evalEvery : perEpoch;
    long checkpointEvery = c.checkpointEvery > 0 ? c.checkpointEvery : evalEvery;
    HostBatch probe = firstImage(trainSet);
    Path work = createDirectories(run.localDir().resolve(WORK_DIR));
    Checkpoint.Progress resumed = resumeDir == null ? null : Checkpoint.readProgress(resumeDir);
    TrainingHistory history = resumed == null
        ? new TrainingHistory()
        : TrainingHistory.readCsv(resumeDir.resolve(Checkpoint.HISTORY));
    String yaml = config.toYaml();
    String modelYaml = modelYaml(config, c);

    logRunParameters(run, trainSet, valSet, perEpoch, probe);
    if (resumed != null && !resumed.runId().equals(run.runId())) {
      // Continued in a new run (the same run already holds these points): link it and copy them.
      run.setTag(RESUMED_FROM_TAG, resumed.runId());
      for (TrainingHistory.Row r : history.rows()) {
        logRow(run, r);
      }
    }

    Engine.getInstance().setRandomSeed((int) c.seed);
    Device device = device();
    try (Model model = Model.newInstance(runName(), device, "PyTorch")) {
      Block block = Networks.build(c);
      model.setBlock(block);
      Tracker lr = LearningRates.schedule(c, (budget + c.batchSize - 1) / c.batchSize);
      Optimizer optimizer = LearningRates.optimizer(c, lr);
      DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.l2Loss("mse", 1f))
          .optOptimizer(optimizer)
          .optDevices(new Device[] {device});
      try (Trainer trainer = model.newTrainer(tc)) {
        trainer.initialize(new Shape(1, probe.channels(), probe.height(), probe.width()));
        long parameters = Networks.trainableParameters(block);
        long inWholeBatches = wholeBatches(budget, perEpoch, c.batchSize);
        run.logParam("model.parameters", Long.toString(parameters));
        say(String.format(Locale.ROOT, "%s (%s head): %,d trainable parameters, input %dx%dx%d, %s, %,d training images"
                + " an epoch, budget %,d images%s", c.architecture, c.head, parameters, probe.channels(), probe.height(),
            probe.width(), device, perEpoch, budget,
            inWholeBatches == budget ? "" : String.format(Locale.ROOT, " (%,d in whole batches)", inWholeBatches)));

        Loop loop = new Loop(run, model, trainer, optimizer, lr, trainSet, valSet, work, history, yaml, modelYaml, budget,
            evalEvery, checkpointEvery, parameters, probe);
        if (resumed != null) {
          Checkpoint.restore(resumeDir, block, optimizer, trainer.getManager());
          loop.restore(resumed);
          say(String.format(Locale.ROOT, "resumed %s at %,d images (epoch %d, %,d batch(es) into it)", resumed.runId(),
              resumed.imagesSeen(), resumed.epoch() + 1, resumed.nextBatch()));
        }
        return loop.run(console == null ? null
            : new ProgressBar(console, inWholeBatches, resumed == null ? 0 : resumed.imagesSeen()));
      }
    }
  }

  /** The training loop and its state (everything a checkpoint records). */
  private final class Loop {
    private final TrackedRun run;
    private final Model model;
    private final Trainer trainer;
    private final Optimizer optimizer;
    private final Tracker lr;
    private final ShardSet trainSet;
    private final ShardSet valSet;
    private final Path work;
    private final TrainingHistory history;
    private final String yaml;
    private final String modelYaml;
    private final long budget;
    private final long evalEvery;
    private final long checkpointEvery;
    private final long parameters;
    private final HostBatch probe;
    private final Augmenter augmenter;

    private int epoch;
    private long nextBatch;
    private long imagesSeen;
    private double elapsedBefore;
    private long nextEvalAt;
    private long nextCheckpointAt;
    /** The step of the last images_per_second point: the run's end logs one only where none is. */
    private long rateLoggedAt = -1;
    private double runningSquaredError;
    private long runningImages;
    private double bestValRmse = Double.POSITIVE_INFINITY;
    private long bestImagesSeen = -1;
    private int evalsSinceBest;
    private double lastValRmse = Double.NaN;
    private double lastBatchRmse = Double.NaN;

    Loop(TrackedRun run, Model model, Trainer trainer, Optimizer optimizer, Tracker lr, ShardSet trainSet,
        ShardSet valSet, Path work, TrainingHistory history, String yaml, String modelYaml, long budget, long evalEvery,
        long checkpointEvery, long parameters, HostBatch probe) {
      this.run = run;
      this.model = model;
      this.trainer = trainer;
      this.optimizer = optimizer;
      this.lr = lr;
      this.trainSet = trainSet;
      this.valSet = valSet;
      this.work = work;
      this.history = history;
      this.yaml = yaml;
      this.modelYaml = modelYaml;
      this.budget = budget;
      this.evalEvery = evalEvery;
      this.checkpointEvery = checkpointEvery;
      this.parameters = parameters;
      this.probe = probe;
      this.augmenter = new Augmenter(c.augment);
      this.nextEvalAt = evalEvery;
      this.nextCheckpointAt = checkpointEvery;
    }

    void restore(Checkpoint.Progress p) {
      epoch = p.epoch();
      nextBatch = p.nextBatch();
      imagesSeen = p.imagesSeen();
      elapsedBefore = p.elapsedSeconds();
      nextEvalAt = p.nextEvalAt();
      nextCheckpointAt = p.nextCheckpointAt();
      runningSquaredError = p.runningSquaredError();
      runningImages = p.runningImages();
      bestValRmse = p.bestValRmse();
      bestImagesSeen = p.bestImagesSeen();
      evalsSinceBest = p.evalsSinceBest();
      if (p.plateau() != null && lr instanceof ReduceLrOnPlateau plateau) {
        plateau.restore(p.plateau());
      }
      if (!history.rows().isEmpty()) {
        TrainingHistory.Row last = history.rows().get(history.rows().size() - 1);
        lastValRmse = last.valRmse();
      }
    }

    /** Trains to the budget, drawing {@code bar} (null: no console) as it goes. */
    Result run(ProgressBar bar) {
      long startNanos = System.nanoTime();
      long startImages = imagesSeen;
      RunStatus status = RunStatus.FINISHED;
      boolean earlyStopped = false;
      GalaxyBatchReader.Options options = new GalaxyBatchReader.Options(
          c.batchSize, true, c.reader.shuffleBuffer, c.seed, c.reader.prefetch, 0);
      training:
      while (imagesSeen < budget) {
        try (GalaxyBatchReader reader = GalaxyBatchReader.open(trainSet, options, epoch, nextBatch)) {
          while (reader.hasNext() && imagesSeen < budget) {
            HostBatch batch = reader.next();
            double mse = trainStep(batch);
            imagesSeen += batch.size();
            runningSquaredError += mse * batch.size();
            runningImages += batch.size();
            nextBatch = batch.index() + 1;
            double elapsed = elapsedBefore + (System.nanoTime() - startNanos) / 1e9;
            lastBatchRmse = Math.sqrt(mse);
            if (batch.index() % c.logEvery == 0) {
              run.logMetric("train_loss", mse, imagesSeen);
            }
            if (bar != null) {
              bar.update(imagesSeen, lastBatchRmse, currentLr(), false);
            }
            if (imagesSeen >= nextEvalAt || imagesSeen >= budget) {
              earlyStopped = evaluate(elapsed);
              run.logMetric("epoch", epoch, imagesSeen);
              run.logMetric("elapsed_s", elapsed, imagesSeen);
              run.logMetric("images_per_second", (imagesSeen - startImages) / Math.max(elapsed - elapsedBefore, 1e-9),
                  imagesSeen);
              rateLoggedAt = imagesSeen;
              while (nextEvalAt <= imagesSeen) {
                nextEvalAt += evalEvery;
              }
            }
            if (imagesSeen >= nextCheckpointAt) {
              while (nextCheckpointAt <= imagesSeen) {
                nextCheckpointAt += checkpointEvery;
              }
              writeCheckpoint(elapsed);
            }
            listener.afterBatch(GalaxyTrainer.this, imagesSeen);
            if (stopRequested) {
              status = RunStatus.KILLED;
              writeCheckpoint(elapsed);
              break training;
            }
            if (earlyStopped) {
              if (bar != null) {
                bar.finish(); // ends the bar's line
              }
              say("early stopping: no better validation RMSE for " + c.earlyStopping.patience + " evaluations");
              break training;
            }
          }
        }
        if (imagesSeen < budget) {
          epoch++;
          nextBatch = 0;
        }
      }
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      if (bar != null) {
        bar.update(imagesSeen, lastBatchRmse, currentLr(), true);
        bar.finish();
      }
      double rate = (imagesSeen - startImages) / Math.max(seconds, 1e-9);
      double peak = PeakMemory.peakRssMib();
      if (imagesSeen != rateLoggedAt) { // a stop between evaluations; at an evaluation it was just logged
        run.logMetric("images_per_second", rate, imagesSeen);
      }
      run.logMetric("peak_rss_mib", peak, imagesSeen);
      if (status == RunStatus.FINISHED) {
        writeCheckpoint(elapsedBefore + seconds);
      }
      SavedModel.write(work.resolve(MODEL_DIR), model, modelYaml, info(lastValRmse), probe);
      history.writeCsv(work.resolve(HISTORY_CSV));
      history.plot(work.resolve(LOSS_CURVE_PNG), runName() + ": RMSE vs images seen");
      logArtifacts();
      String validation = bestImagesSeen < 0 ? "no validation yet" : validationSummary();
      say(String.format(Locale.ROOT, "%s after %,d images: %s, %.0f images/s, peak RSS %.0f MiB; run %s",
          status, imagesSeen, validation, rate, peak, run.localDir()));
      return new Result(run.runId(), work, status, imagesSeen, lastValRmse, bestValRmse, parameters);
    }

    /**
     * The last validation RMSE and the best; where a stop came between evaluations, with the
     * images seen at the last one, so that it does not read as the RMSE where training stopped.
     */
    private String validationSummary() {
      List<TrainingHistory.Row> rows = history.rows();
      long lastAt = rows.isEmpty() ? imagesSeen : rows.get(rows.size() - 1).imagesSeen();
      String last = lastAt == imagesSeen ? String.format(Locale.ROOT, "validation RMSE %.5f", lastValRmse)
          : String.format(Locale.ROOT, "last validation RMSE %.5f at %,d", lastValRmse, lastAt);
      return String.format(Locale.ROOT, "%s (best %.5f at %,d)", last, bestValRmse, bestImagesSeen);
    }

    private float currentLr() {
      return lr.getNewValue(Math.max(1, (int) Math.min(Integer.MAX_VALUE, imagesSeen / c.batchSize)));
    }

    /** One optimiser step on one batch, inside its own NDManager; returns the batch MSE. */
    private double trainStep(HostBatch batch) {
      try (NDManager m = trainer.getManager().newSubManager()) {
        long batchSeed = Seeds.mix(c.seed, batch.epoch(), batch.index());
        // Dropout draws from the engine's generator: re-seed it per batch for exact resumes.
        Engine.getInstance().setRandomSeed((int) batchSeed);
        NDArray images = batch.images(m);
        NDArray labels = batch.labels(m);
        if (augmenter.enabled()) {
          NDList aug = augmenter.apply(m, images, labels, new Random(batchSeed));
          images = aug.get(0);
          labels = aug.get(1);
        }
        double loss;
        try (GradientCollector gc = trainer.newGradientCollector()) {
          NDList predictions = trainer.forward(new NDList(images), new NDList(labels));
          NDArray l = trainer.getLoss().evaluate(new NDList(labels), predictions);
          gc.backward(l);
          loss = l.getFloat();
        }
        trainer.step();
        return loss;
      }
    }

    /** Full validation pass; logs the evaluation; returns true where early stopping says stop. */
    private boolean evaluate(double elapsed) {
      double valRmse = validationRmse();
      double trainRmse = Math.sqrt(runningSquaredError / Math.max(1, runningImages));
      runningSquaredError = 0;
      runningImages = 0;
      float usedLr = currentLr();
      TrainingHistory.Row row = new TrainingHistory.Row(imagesSeen, trainRmse, valRmse, usedLr, elapsed,
          System.currentTimeMillis());
      history.add(row);
      logRow(run, row);
      lastValRmse = valRmse;
      if (lr instanceof ReduceLrOnPlateau plateau && plateau.observe(valRmse * valRmse)) {
        run.logMetric("lr_reduced_to", plateau.learningRate(), imagesSeen);
      }
      if (valRmse < bestValRmse) {
        bestValRmse = valRmse;
        bestImagesSeen = imagesSeen;
        evalsSinceBest = 0;
        SavedModel.write(work.resolve(BEST_MODEL_DIR), model, modelYaml, info(valRmse), probe);
      } else {
        evalsSinceBest++;
      }
      history.writeCsv(work.resolve(HISTORY_CSV));
      return c.earlyStopping.patience > 0 && evalsSinceBest >= c.earlyStopping.patience;
    }

    private double validationRmse() {
      double squaredError = 0;
      long values = 0;
      GalaxyBatchReader.Options options = GalaxyBatchReader.Options.sequential(c.batchSize).withMaxRecords(c.valMaxImages);
      try (GalaxyBatchReader reader = GalaxyBatchReader.open(valSet, options, 0, 0)) {
        while (reader.hasNext()) {
          HostBatch b = reader.next();
          try (NDManager m = trainer.getManager().newSubManager()) {
            NDArray predictions = trainer.evaluate(new NDList(b.images(m))).singletonOrThrow();
            squaredError += predictions.sub(b.labels(m)).square().sum().getFloat();
            values += (long) b.size() * GalaxyZooTaxonomy.ANSWER_COUNT;
          }
        }
      }
      return Math.sqrt(squaredError / Math.max(1, values));
    }

    private void writeCheckpoint(double elapsed) {
      ReduceLrOnPlateau.State plateau = lr instanceof ReduceLrOnPlateau p ? p.state() : null;
      Checkpoint.write(work.resolve(CHECKPOINT_DIR),
          new Checkpoint.Progress(run.runId(), epoch, nextBatch, imagesSeen, elapsed, nextEvalAt, nextCheckpointAt,
              runningSquaredError, runningImages, bestValRmse, bestImagesSeen, evalsSinceBest, plateau),
          model.getBlock(), optimizer, history, yaml);
    }

    private SavedModel.Info info(double valRmse) {
      return new SavedModel.Info(c.architecture.toString(), c.head.toString(), probe.height(), probe.width(),
          probe.channels(), parameters, valRmse, imagesSeen, null, preprocessing(c));
    }

    private void logArtifacts() {
      // The checkpoint stays in the run folder (gz train --resume reads it there).
      for (String name : new String[] {MODEL_DIR, BEST_MODEL_DIR}) {
        if (Files.isDirectory(work.resolve(name))) {
          // as <artifacts>/<name>/ and as an MLflow logged model of the run, with the RMSEs of the
          // evaluation at its step (a final model saved between evaluations has none of its own)
          SavedModel.Info info = SavedModel.readInfo(work.resolve(name));
          run.logModel(work.resolve(name), info.summary(),
              history.at(info.imagesSeen()).map(TrainingHistory.Row::rmsePoints).orElse(List.of()));
        }
      }
      run.logArtifact(work.resolve(HISTORY_CSV), "");
      if (Files.isRegularFile(work.resolve(LOSS_CURVE_PNG))) {
        run.logArtifact(work.resolve(LOSS_CURVE_PNG), "");
      }
    }
  }

  private static void logRow(TrackedRun run, TrainingHistory.Row r) {
    r.rmsePoints().forEach(p -> run.logMetric(p.key(), p.value(), p.step(), p.timestamp()));
    run.logMetric("lr", r.lr(), r.imagesSeen(), r.loggedAt());
  }

  void logRunParameters(TrackedRun run, ShardSet trainSet, ShardSet valSet, long perEpoch, HostBatch probe) {
    // Only the train keys this run depends on: a study's config also holds other stages' keys
    // (mergers.decision, synth.count), which a reused training run would show with stale values,
    // and the baseline ignores the network's keys, which would make it look like an Adam-trained CNN
    // in MLflow's compare view. The whole config is in the model folder (config.yaml).
    Map<String, String> params = new TreeMap<>();
    config.flatten().forEach((key, value) -> {
      if (key.startsWith("train.") && dependsOn(c, key.substring("train.".length()))) {
        params.put(key, value);
      }
    });
    params.put("experiment", config.experimentName());
    params.put("data.train_images", Long.toString(perEpoch));
    params.put("data.val_images", Long.toString(valSet.countRecords()));
    params.put("data.image_shape", probe.height() + "x" + probe.width() + "x" + probe.channels());
    params.put("data.train_pixels", Long.toString(perEpoch * probe.height() * probe.width() * probe.channels()));
    run.logParams(params);
    run.setTag("gz.stage", "train");
    run.setTag(ARCHITECTURE_TAG, c.architecture.toString());
    Path manifest = Path.of(c.data).resolve("manifest.json");
    if (Files.isRegularFile(manifest)) {
      run.logArtifact(manifest, "data");
    }
  }

  /**
   * The config saved in a model folder. Model folders are shared (run artifacts, the registry), so
   * it names the data in its shared form (relative, or .../<name>); the checkpoint, which stays in
   * the local run folder, keeps the path --resume needs.
   */
  static String modelYaml(ExperimentConfigFile config, TrainConfig c) {
    return config.with("train.data", SharedPaths.of(Path.of(c.data).toAbsolutePath())).toYaml();
  }

  /** The preprocessing of the training data (from its manifest), recorded in every saved model. */
  static Preprocessing preprocessing(TrainConfig c) {
    try {
      return Manifest.find(Path.of(c.data)).map(m -> m.parameters().preprocessing()).orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  static HostBatch firstImage(ShardSet set) {
    try (GalaxyBatchReader r = GalaxyBatchReader.open(set, GalaxyBatchReader.Options.sequential(1).withMaxRecords(1), 0, 0)) {
      if (!r.hasNext()) {
        throw new IllegalArgumentException("the shards in " + set.dir() + " hold no galaxies: re-run gz ingest");
      }
      return r.next();
    }
  }

  /** The checkpoint a training run wrote in its folder, if it is there and complete. */
  public static Optional<Path> checkpointIn(Path runFolder) {
    Path candidate = runFolder.resolve(WORK_DIR).resolve(CHECKPOINT_DIR);
    return Checkpoint.exists(candidate) ? Optional.of(candidate) : Optional.empty();
  }

  /**
   * Finds the checkpoint of a run: {@code runFolderOrId} is a run folder ({@code runs/<id>}), its
   * {@code train/} or {@code checkpoint/} folder, or a run id (or a unique short one, {@link
   * ShortRunIds}) under {@code runsDir}.
   */
  public static Path findCheckpoint(String runFolderOrId, Path runsDir) {
    Path given = Path.of(runFolderOrId);
    for (Path base : new Path[] {given, runsDir.resolve(ShortRunIds.expand(runFolderOrId, runsDir))}) {
      for (Path candidate : new Path[] {base, base.resolve(CHECKPOINT_DIR), base.resolve(WORK_DIR).resolve(CHECKPOINT_DIR)}) {
        if (Checkpoint.exists(candidate)) {
          return candidate;
        }
      }
    }
    throw new IllegalArgumentException("no training checkpoint for '" + runFolderOrId + "': give a run folder (e.g. "
        + runsDir + "/<run id>) or the id of a gz train run under " + runsDir + " (set GZ_RUNS_DIR if runs live elsewhere)");
  }

  /**
   * The run folder a checkpoint was written in ({@code <run folder>/train/checkpoint}), when it
   * is still there: the run {@code gz train --resume} continues.
   */
  public static Optional<Path> runFolderOf(Path checkpoint) {
    Path folder = checkpoint.toAbsolutePath().normalize().getParent().getParent();
    String runId = Checkpoint.readProgress(checkpoint).runId();
    return folder != null && folder.getFileName().toString().equals(runId) ? Optional.of(folder) : Optional.empty();
  }

  /** The config saved in a checkpoint (what the interrupted run was trained with). */
  public static ExperimentConfigFile checkpointConfig(Path checkpoint) {
    try {
      return ExperimentConfigFile.parse(Files.readString(checkpoint.resolve(Checkpoint.CONFIG)),
          checkpoint.resolve(Checkpoint.CONFIG));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + checkpoint.resolve(Checkpoint.CONFIG), e);
    }
  }

  /** Run name in MLflow: train.run-name, else the config file's name. */
  public String runName() {
    if (c.runName != null && !c.runName.isBlank()) {
      return c.runName;
    }
    String f = config.file().getFileName().toString();
    return f.endsWith(".yaml") ? f.substring(0, f.length() - 5) : f;
  }

  private Device device() {
    int gpus = Engine.getInstance().getGpuCount();
    return switch (c.device) {
      case CPU -> Device.cpu();
      case GPU -> {
        if (gpus == 0) {
          throw new IllegalArgumentException("train.device is gpu but DJL sees no GPU: use device: auto or cpu");
        }
        yield Device.gpu();
      }
      case AUTO -> gpus > 0 ? Device.gpu() : Device.cpu();
    };
  }

  void say(String line) {
    if (console != null) {
      console.println(line);
    }
  }

  static Path createDirectories(Path p) {
    try {
      return Files.createDirectories(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + p, e);
    }
  }
}
