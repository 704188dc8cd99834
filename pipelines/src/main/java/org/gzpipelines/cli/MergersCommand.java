package org.gzpipelines.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.gzpipelines.ingest.Manifest;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import org.gzpipelines.evaluate.ModelRef;
import org.gzpipelines.evaluate.ReadSplit;
import org.gzpipelines.mergers.MergerFractionEstimator;
import org.gzpipelines.mergers.MergerMeasurement;
import org.gzpipelines.mergers.MergersOptions;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.model.config.TrainConfig;
import org.gzpipelines.model.predict.SavedModel;
import org.gzpipelines.tracking.TrackedRun;
import org.gzpipelines.tracking.Tracking;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** gz mergers: the merger fraction of a set of test images, with its uncertainty, vs Lotz et al. 2011. */
@Command(name = "mergers",
    header = "Merger fraction of unlabelled images, against Lotz et al. 2011.", mixinStandardHelpOptions = true,
    description = {"Run a trained model over test images on Beam and estimate their merger fraction",
        "(Class8.6 >= threshold): raw, expected and validation-corrected, with bootstrap intervals,",
        "compared with Lotz et al. 2011; an HTML report and the numbers are logged as the run \"mergers\"."})
public final class MergersCommand implements Callable<Integer> {

  @Option(names = "--model", required = true,
      description = "The model: a gz train run folder, a run id under GZ_RUNS_DIR, or a saved model folder.")
  String model;

  @Option(names = "--images", required = true,
      description = "Test images: a folder written by gz ingest (its test/ split), or raw images (dir, .zip, .tar.gz).")
  Path images;

  @Option(names = "--validation",
      description = "Labelled ingested folder whose val/ split calibrates the criterion (default: the model's training data).")
  Path validation;

  @Option(names = "--threshold", defaultValue = "0.4",
      description = "A galaxy is a merger when its predicted Class8.6 vote fraction is at least this (default ${DEFAULT-VALUE}).")
  double threshold;

  @Option(names = "--truth", description = "truth.json of a gz synth set (default: one beside the images, if any).")
  Path truth;

  @Option(names = "--output", description = "Output folder (default: mergers/<run id>).")
  Path output;

  @Option(names = "--batch-size", defaultValue = "64", description = "Images per inference batch (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Mixin RunnerMixin runner;

  /** The measurement of the last {@link #call}, for {@code gz run} and {@code gz demo}. */
  private MergerMeasurement.Result lastResult;

  public MergerMeasurement.Result lastResult() {
    return lastResult;
  }

  @Override
  public Integer call() {
    try (Tracking tracking = Tracking.fromEnvironment()) {
      ModelRef ref = ModelRef.resolve(model, tracking.runsDir());
      Path calibration = validation != null ? validation : trainingData(ref.modelDir());
      if (calibration == null) {
        System.err.println("gz mergers: no labelled validation data (the model's training data is gone and --validation"
            + " is not given): the corrected fraction will be undefined");
      } else if (!ReadSplit.hasShards(calibration, "val")) {
        throw new UserError("--validation " + calibration + " has no val/ shards: give a folder written by gz ingest");
      }
      OptionalDouble known = MergerMeasurement.trueFraction(truth, images);
      TrackedRun run = StageRuns.start(tracking, ref, "mergers");
      MergersOptions o = runner.options(MergersOptions.class);
      o.setModelDir(ref.modelDir().toString());
      o.setModelRunId(ref.label());
      o.setImages(images.toString());
      o.setValidation(calibration == null ? "" : calibration.toString());
      o.setOutput((output != null ? output : Path.of("mergers", run.runId())).toAbsolutePath().toString());
      o.setBatchSize(batchSize);
      preprocessLike(o, calibration, ref.modelDir());
      MergerMeasurement.Result r = MergerMeasurement.run(o, MergerMeasurement.Settings.defaults(threshold), known, run);
      lastResult = r;
      MergerFractionEstimator.Estimate e = r.estimate();
      System.out.printf(Locale.ROOT, "%,d test galaxies, %,d predicted mergers (%s)%n", e.galaxies(),
          e.predictedMergers(), e.criterion());
      print("raw", e.raw(), e.confidence());
      print("expected", e.expected(), e.confidence());
      print("corrected", e.corrected(), e.confidence());
      known.ifPresent(t -> System.out.printf(Locale.ROOT, "true (synthetic) %.4f%n", t));
      System.out.println("report: " + r.report().html() + "; run " + r.runId());
      return 0;
    }
  }

  private static void print(String name, MergerFractionEstimator.Interval i, double confidence) {
    System.out.printf(Locale.ROOT, "%-9s %.4f  [%.4f, %.4f] (%.0f%%)%n", name, i.value(), i.low(), i.high(), 100 * confidence);
  }

  /**
   * Raw test images must be cropped and resized exactly as the model's training data was: take
   * the sizes from that data's manifest.json; without one, the ingest defaults at the model's input size.
   */
  private static void preprocessLike(MergersOptions o, Path trainingData, Path modelDir) {
    int modelSize = SavedModel.readInfo(modelDir).height();
    if (trainingData != null && Files.isRegularFile(trainingData.resolve(Manifest.FILE_NAME))) {
      try {
        Map<String, Object> p = Manifest.read(trainingData).parameters();
        o.setExpectedSize(((Number) p.get("expectedSize")).intValue());
        o.setCropSize(((Number) p.get("cropSize")).intValue());
        o.setOutputSize(((Number) p.get("outputSize")).intValue());
      } catch (IOException | RuntimeException e) {
        throw new UserError("cannot read the preprocessing sizes from " + trainingData.resolve(Manifest.FILE_NAME)
            + ": " + e.getMessage() + "; re-run gz ingest on the training data");
      }
    } else {
      o.setOutputSize(modelSize);
      o.setCropSize(Math.max(o.getCropSize(), modelSize));
    }
    if (o.getOutputSize() != modelSize) {
      throw new UserError("the model takes " + modelSize + "x" + modelSize + " images but " + trainingData
          + " was ingested at " + o.getOutputSize() + ": give --validation the data the model was trained on");
    }
  }

  /** The data folder the model was trained on (from its saved config), if it still has a val/ split. */
  private static Path trainingData(Path modelDir) {
    Path config = modelDir.resolve(SavedModel.CONFIG_FILE);
    if (!Files.isRegularFile(config)) {
      return null;
    }
    Path data = Path.of(ExperimentConfigFile.load(config).section("train", TrainConfig.class).data);
    return ReadSplit.hasShards(data, "val") ? data : null;
  }
}
