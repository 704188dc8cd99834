package org.gzpipelines.mergers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.evaluate.Evaluation;
import org.gzpipelines.evaluate.ModelRef;
import org.gzpipelines.evaluate.ReadSplit;
import org.gzpipelines.ingest.DeadLetterSummary;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.model.config.TrainConfig;
import org.gzpipelines.model.predict.SavedModel;
import org.gzpipelines.run.PipelineRunner;
import org.gzpipelines.run.Stage;
import org.gzpipelines.schemas.Prediction;
import org.gzpipelines.synth.DatasetTruth;
import org.gzpipelines.tracking.TrackedRun;

/**
 * The mergers stage: measures the merger fraction of a set of test images with a trained model.
 * Runs the {@link MergersPipeline} (raw images are prepared as the model's own recorded
 * preprocessing says), estimates the fraction (raw, expected, validation-corrected, with
 * bootstrap intervals), writes the {@link MergerReport} and logs numbers and report to the run.
 */
public final class MergerMeasurement implements Stage<MergersParams, MergerMeasurement.Result> {

  public static final String REPORT_DIR = "report";

  /** What was measured. */
  public record Result(String runId, MergerFractionEstimator.Estimate estimate, OptionalDouble trueFraction,
      MergerReport.Written report, long testGalaxies, long validationGalaxies) {}

  /** How to estimate (the criterion's threshold is a parameter: {@link MergersParams#threshold}). */
  public record Settings(int resamples, double confidence, long seed) {
    public static Settings defaults() {
      return new Settings(1000, 0.95, 42);
    }
  }

  private final ModelRef model;
  private final Settings settings;

  /** Measures with {@code model} (resolved first: its training run is the parent of the stage's run). */
  public MergerMeasurement(ModelRef model, Settings settings) {
    this.model = model;
    this.settings = settings;
  }

  @Override
  public Result run(MergersParams params, TrackedRun run, PipelineRunner runner) {
    if (params.images == null) {
      throw new UserError("'mergers.images' is not set: give --images <test images> (ingested folder, dir, .zip, .tar.gz)");
    }
    Path images = Path.of(params.images);
    Path calibration = params.validation != null ? Path.of(params.validation) : trainingData(model.modelDir());
    if (calibration == null) {
      System.err.println("gz mergers: no labelled validation data (the model's training data is gone and --validation"
          + " is not given): the corrected fraction will be undefined");
    } else if (!ReadSplit.hasShards(calibration, "val")) {
      throw new UserError("--validation " + calibration + " has no val/ shards: give a folder written by gz ingest");
    }
    OptionalDouble trueFraction = trueFraction(params.truth == null ? null : Path.of(params.truth), images);
    Path out = (params.output != null ? Path.of(params.output) : Path.of("mergers", run.runId())).toAbsolutePath();
    SavedModel.Info info = SavedModel.readInfo(model.modelDir());
    if (info.preprocessing() == null) {
      System.err.println("gz mergers: the model does not record its preprocessing (trained before it was recorded,"
          + " or on data without a manifest): raw images are prepared with " + info.preprocessingOrDefault());
    }
    MergersPipeline.Inputs inputs = new MergersPipeline.Inputs(model, images, calibration,
        info.preprocessingOrDefault(), params.batchSize, out);

    MergerCriterion criterion = MergerCriterion.mergerVote(params.threshold);
    run.logParam("model_dir", model.modelDir().toAbsolutePath().normalize().toString());
    run.logParam("model_run_id", model.label());
    run.logParam("calibration", calibration == null ? "" : calibration.toAbsolutePath().normalize().toString());
    run.logParam("criterion", criterion.toString());
    run.logParam("bootstrap_resamples", Integer.toString(settings.resamples()));
    run.logParam("confidence", Double.toString(settings.confidence()));

    runner.run(MergersPipeline.build(runner.options("mergers"), inputs));
    double[] test = scores(out.resolve(MergersPipeline.TEST_PREDICTIONS), criterion, false);
    double[] valPredicted = new double[0];
    double[] valTruth = new double[0];
    if (calibration != null) {
      valPredicted = scores(out.resolve(MergersPipeline.VAL_PREDICTIONS), criterion, false);
      valTruth = scores(out.resolve(MergersPipeline.VAL_PREDICTIONS), criterion, true);
    }
    MergerFractionEstimator.Estimate e = new MergerFractionEstimator(criterion, settings.resamples(),
        settings.confidence(), settings.seed()).estimate(test, valPredicted, valTruth);

    MergerReport.Written report;
    try {
      report = MergerReport.write(new MergerReport.Inputs(e, valPredicted, valTruth, trueFraction,
          String.format("%,d test galaxies from %s", test.length, params.images),
          model.label()), out.resolve(REPORT_DIR));
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write the merger report in " + out.resolve(REPORT_DIR), ex);
    }
    log(run, e, trueFraction, valPredicted.length);
    run.logMetric("dead_letters", deadLetters(out), 0);
    run.logArtifact(out.resolve(REPORT_DIR), "");
    Result r = new Result(run.runId(), e, trueFraction, report, test.length, valPredicted.length);
    print(r);
    return r;
  }

  private static void print(Result r) {
    MergerFractionEstimator.Estimate e = r.estimate();
    System.out.printf(Locale.ROOT, "%,d test galaxies, %,d predicted mergers (%s)%n", e.galaxies(),
        e.predictedMergers(), e.criterion());
    print("raw", e.raw(), e.confidence());
    print("expected", e.expected(), e.confidence());
    print("corrected", e.corrected(), e.confidence());
    r.trueFraction().ifPresent(t -> System.out.printf(Locale.ROOT, "true (synthetic) %.4f%n", t));
    System.out.println("report: " + r.report().html() + "; run " + r.runId());
  }

  private static void print(String name, MergerFractionEstimator.Interval i, double confidence) {
    System.out.printf(Locale.ROOT, "%-9s %.4f  [%.4f, %.4f] (%.0f%%)%n", name, i.value(), i.low(), i.high(), 100 * confidence);
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

  private static void log(TrackedRun run, MergerFractionEstimator.Estimate e, OptionalDouble truth, int validation) {
    run.logMetric("test_galaxies", e.galaxies(), 0);
    run.logMetric("validation_galaxies", validation, 0);
    run.logMetric("predicted_mergers", e.predictedMergers(), 0);
    interval(run, "merger_fraction_raw", e.raw());
    interval(run, "merger_fraction_expected", e.expected());
    interval(run, "merger_fraction_corrected", e.corrected());
    ThresholdCalibration c = e.calibration();
    run.logMetric("validation_completeness", c.completeness(), 0);
    run.logMetric("validation_purity", c.purity(), 0);
    run.logMetric("validation_false_positive_rate", c.falsePositiveRate(), 0);
    truth.ifPresent(t -> run.logMetric("merger_fraction_true", t, 0));
  }

  private static void interval(TrackedRun run, String key, MergerFractionEstimator.Interval i) {
    run.logMetric(key, i.value(), 0);
    run.logMetric(key + "_low", i.low(), 0);
    run.logMetric(key + "_high", i.high(), 0);
  }

  /** Raw test images that could not be used (unreadable, badly named, wrong size). */
  static long deadLetters(Path out) {
    try {
      return DeadLetterSummary.read(out.resolve("dead-letter")).total();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dead letters in " + out, e);
    }
  }

  /** The criterion's score of every prediction under a folder: predicted, or the true label. */
  static double[] scores(Path dir, MergerCriterion criterion, boolean truth) {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> parts = files.filter(f -> f.getFileName().toString().endsWith(".avro")).sorted().toList();
      java.util.ArrayList<Double> out = new java.util.ArrayList<>();
      for (Path part : parts) {
        for (Prediction p : Evaluation.readAvro(part, Prediction.class)) {
          List<Float> v = truth ? p.getLabels() : p.getPredictions();
          if (v == null) {
            throw new UserError("validation galaxy " + p.getGalaxyId() + " in " + part + " has no labels: --validation"
                + " must be a labelled ingested folder");
          }
          out.add((double) v.get(criterion.answer().index()));
        }
      }
      return out.stream().mapToDouble(Double::doubleValue).toArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read predictions in " + dir, e);
    }
  }

  /**
   * The known true merger fraction of a synthetic test set: {@code --truth} if given, else a
   * {@code truth.json} beside (or inside) the images; empty for real data.
   */
  public static OptionalDouble trueFraction(Path truthFile, Path images) {
    Path file = truthFile;
    if (file == null) {
      Path abs = images.toAbsolutePath().normalize();
      for (Path candidate : new Path[] {abs.resolve(DatasetTruth.FILE_NAME),
          abs.getParent() == null ? null : abs.getParent().resolve(DatasetTruth.FILE_NAME)}) {
        if (candidate != null && Files.isRegularFile(candidate)) {
          file = candidate;
          break;
        }
      }
    }
    if (file == null) {
      return OptionalDouble.empty();
    }
    try {
      DatasetTruth truth = DatasetTruth.read(file);
      if (truth.test() == null) {
        throw new UserError(file + " describes no test set: give the truth.json of the synthetic set the images came from");
      }
      return OptionalDouble.of(truth.test().trueMergerFraction());
    } catch (IOException e) {
      throw new UserError("cannot read " + file + " as a gz synth truth.json: " + e.getMessage());
    }
  }
}
