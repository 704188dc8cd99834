package org.gzpipelines.mergers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.gzpipelines.cli.UserError;
import org.gzpipelines.evaluate.Evaluation;
import org.gzpipelines.ingest.DeadLetterSummary;
import org.gzpipelines.schemas.Prediction;
import org.gzpipelines.synth.DatasetTruth;
import org.gzpipelines.tracking.RunStatus;
import org.gzpipelines.tracking.TrackedRun;

/**
 * Measures the merger fraction of a set of test images with a trained model: runs the {@link
 * MergersPipeline}, estimates the fraction (raw, expected, validation-corrected, with bootstrap
 * intervals), writes the {@link MergerReport} and logs numbers and report to a tracked run.
 */
public final class MergerMeasurement {

  public static final String REPORT_DIR = "report";

  /** What was measured. */
  public record Result(String runId, MergerFractionEstimator.Estimate estimate, OptionalDouble trueFraction,
      MergerReport.Written report, long testGalaxies, long validationGalaxies) {}

  /** How to estimate. */
  public record Settings(double threshold, int resamples, double confidence, long seed) {
    public static Settings defaults(double threshold) {
      return new Settings(threshold, 1000, 0.95, 42);
    }
  }

  private MergerMeasurement() {}

  /** Runs everything and ends {@code run} (FINISHED, or FAILED and rethrows). */
  public static Result run(MergersOptions o, Settings s, OptionalDouble trueFraction, TrackedRun run) {
    try {
      Result r = measure(o, s, trueFraction, run);
      run.end(RunStatus.FINISHED);
      return r;
    } catch (RuntimeException | Error e) {
      run.end(RunStatus.FAILED);
      throw e;
    }
  }

  private static Result measure(MergersOptions o, Settings s, OptionalDouble trueFraction, TrackedRun run) {
    MergerCriterion criterion = MergerCriterion.mergerVote(s.threshold());
    Map<String, String> params = new LinkedHashMap<>();
    params.put("model_dir", Path.of(o.getModelDir()).toAbsolutePath().normalize().toString());
    params.put("model_run_id", o.getModelRunId());
    params.put("images", Path.of(o.getImages()).toAbsolutePath().normalize().toString());
    params.put("validation", o.getValidation());
    params.put("criterion", criterion.toString());
    params.put("threshold", Double.toString(s.threshold()));
    params.put("bootstrap_resamples", Integer.toString(s.resamples()));
    params.put("confidence", Double.toString(s.confidence()));
    params.put("runner", o.getRunner().getSimpleName());
    run.logParams(params);
    run.setTag("gz.stage", "mergers");

    PipelineResult.State state = MergersPipeline.run(o);
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the mergers pipeline ended " + state);
    }
    Path out = Path.of(o.getOutput());
    double[] test = scores(out.resolve(MergersPipeline.TEST_PREDICTIONS), criterion, false);
    double[] valPredicted = new double[0];
    double[] valTruth = new double[0];
    if (!o.getValidation().isEmpty()) {
      valPredicted = scores(out.resolve(MergersPipeline.VAL_PREDICTIONS), criterion, false);
      valTruth = scores(out.resolve(MergersPipeline.VAL_PREDICTIONS), criterion, true);
    }
    MergerFractionEstimator.Estimate e =
        new MergerFractionEstimator(criterion, s.resamples(), s.confidence(), s.seed()).estimate(test, valPredicted, valTruth);

    MergerReport.Written report;
    try {
      report = MergerReport.write(new MergerReport.Inputs(e, valPredicted, valTruth, trueFraction,
          String.format("%,d test galaxies from %s", test.length, o.getImages()),
          o.getModelRunId()), out.resolve(REPORT_DIR));
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write the merger report in " + out.resolve(REPORT_DIR), ex);
    }
    log(run, e, trueFraction, valPredicted.length);
    run.logMetric("dead_letters", deadLetters(out), 0);
    run.logArtifact(out.resolve(REPORT_DIR), "");
    return new Result(run.runId(), e, trueFraction, report, test.length, valPredicted.length);
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
