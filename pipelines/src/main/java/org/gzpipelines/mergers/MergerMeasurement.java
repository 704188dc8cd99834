package org.gzpipelines.mergers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Predicate;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.gzpipelines.beam.AvroFiles;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.ingest.DeadLetterSummary;
import org.gzpipelines.ingest.Problem;
import org.gzpipelines.model.data.ShardCheck;
import org.gzpipelines.model.predict.SavedModel;
import org.gzpipelines.predict.ModelRef;
import org.gzpipelines.predict.PredictImages;
import org.gzpipelines.predict.UnitParts;
import org.gzpipelines.report.Numbers;
import org.gzpipelines.run.PipelineProgress;
import org.gzpipelines.run.PipelineRunner;
import org.gzpipelines.run.Stage;
import org.gzpipelines.schemas.DeadLetter;
import org.gzpipelines.schemas.Prediction;
import org.gzpipelines.synth.DatasetTruth;
import org.gzpipelines.taxonomy.Answer;
import org.gzpipelines.tracking.TrackedRun;

/**
 * The mergers stage: measures the merger fraction of a set of test images with a trained model.
 * Runs the {@link MergersPipeline} (raw images are prepared as the model's own recorded
 * preprocessing says), estimates the fraction (raw, expected, validation-corrected, with
 * bootstrap intervals), checks whether the test images look like the validation split the
 * correction was calibrated on ({@link DomainShiftCheck}) and says how far the corrected value can
 * be trusted ({@link Reliability}), writes the merger candidates for the eye ({@link
 * CandidateGallery}) and the {@link MergerReport}, and logs numbers and report to the run.
 */
public final class MergerMeasurement implements Stage<MergersParams, MergerMeasurement.Result> {

  public static final String REPORT_DIR = "report";

  /** Shifted quantities the console lists; the report lists all. */
  private static final int SHOWN_SHIFTS = 8;

  /**
   * What was measured.
   *
   * @param domainShift the domain-shift check; empty without validation data
   * @param reliability why the corrected fraction should not be trusted, if anything says so
   */
  public record Result(String runId, MergerFractionEstimator.Estimate estimate, DecisionSensitivity sensitivity,
      OptionalDouble trueFraction, Optional<DomainShift> domainShift, Reliability reliability, CandidateGallery.Written candidates,
      MergerReport.Written report, long testGalaxies, long validationGalaxies) {}

  /**
   * How to estimate (the criterion's threshold is a parameter: {@link MergersParams#threshold}).
   *
   * @param shiftAlpha family-wise false-alarm rate of the domain-shift check
   * @param shiftGalaxies galaxies per side the domain-shift check compares at most
   */
  public record Settings(int resamples, double confidence, long seed, double shiftAlpha, int shiftGalaxies) {
    public static Settings defaults() {
      return new Settings(1000, 0.95, 42, 0.01, 5000);
    }
  }

  private final ModelRef model;
  private final Settings settings;

  /** Measures with {@code model} (resolved first: its training run is the parent of the stage's run). */
  public MergerMeasurement(ModelRef model, Settings settings) {
    this.model = model;
    this.settings = settings;
  }

  /** The calibration data, when given (the model's own training data is tagged on its training run). */
  @Override
  public Path data(MergersParams params) {
    return params.validation == null ? null : Path.of(params.validation);
  }

  /**
   * "mergers mysample", "mergers mysample decision auto": one model's runs over several samples, or at
   * several decisions, differ by the sample's folder or archive name and the decision given.
   */
  @Override
  public String runName(String stage, MergersParams params) {
    Path name = params.images == null ? null : Path.of(params.images).toAbsolutePath().normalize().getFileName();
    String decision = params.decision == null ? "" : " decision " + params.decision;
    return name == null ? stage + decision : stage + " " + name + decision;
  }

  @Override
  public void check(MergersParams params) {
    if (params.images == null) {
      throw new UserError("'mergers.images' is not set: give --images <test images> (ingested folder, dir, .zip, .tar.gz)");
    }
    PredictImages.checkTestImages(Path.of(params.images)).ifPresent(n -> System.err.println("gz: " + n));
    if (params.validation != null && !ShardCheck.has(Path.of(params.validation), "val")) {
      throw new UserError("--validation " + params.validation + " has no val/ shards: give a folder written by gz ingest");
    }
  }

  @Override
  public Result run(MergersParams params, TrackedRun run, PipelineRunner runner) {
    Path images = Path.of(params.images);
    Path calibration = params.validation != null ? Path.of(params.validation) : model.trainingData().orElse(null);
    if (calibration == null) {
      System.err.println("gz mergers: no labelled validation data: the data the model was trained on"
          + model.recordedTrainingData().map(d -> ", " + d + ",").orElse("") + " has no val/ split here and --validation"
          + " is not given, so the corrected fraction will be undefined; give --validation <the ingested folder>");
    } else if (!ShardCheck.has(calibration, "val")) {
      throw new UserError("--validation " + calibration + " has no val/ shards: give a folder written by gz ingest");
    }
    OptionalDouble trueFraction = trueFraction(params.truth == null ? null : Path.of(params.truth), images);
    Path out = (params.output != null ? Path.of(params.output) : Path.of("mergers", run.runId())).toAbsolutePath().normalize();
    run.createsOutput(out);
    SavedModel.Info info = SavedModel.readInfo(model.modelDir());
    if (info.preprocessing() == null) {
      System.err.println("gz mergers: the model does not record its preprocessing (trained before it was recorded,"
          + " or on data without a manifest): raw images are prepared with " + info.preprocessingOrDefault());
    }
    run.logParam("model_dir", model.modelDir().toAbsolutePath().normalize().toString());
    run.logParam("model_run_id", model.label());
    run.logParam("calibration", calibration == null ? "" : calibration.toAbsolutePath().normalize().toString());
    run.logParam("bootstrap_resamples", Integer.toString(settings.resamples()));
    run.logParam("confidence", Double.toString(settings.confidence()));
    run.logParam("domain_shift_alpha", Double.toString(settings.shiftAlpha()));

    double[] valPredicted = new double[0];
    double[] valTruth = new double[0];
    if (calibration != null) {
      System.out.println("Calibrating on the validation split of " + calibration + " ...");
      run(runner, MergersPipeline.validation(runner.options("mergers-validation"), model, calibration,
          params.batchSize, out), PredictImages.splitProgress(calibration, List.of("val"), System.out), images,
          calibration);
      valPredicted = scores(out.resolve(MergersPipeline.VAL_PREDICTIONS), MergerCriterion.MERGER_VOTE, false);
      valTruth = scores(out.resolve(MergersPipeline.VAL_PREDICTIONS), MergerCriterion.MERGER_VOTE, true);
    }
    MergerCriterion breakEven = MergerCriterion.breakEven(params.threshold, valPredicted, valTruth);
    MergerCriterion criterion = params.criterion(breakEven);
    String decision = decision(params, criterion, breakEven, valTruth);
    System.out.println(decision);
    run.logParam("criterion", criterion.toString());
    run.logParam("decision", params.decision == null ? "threshold" : params.decision);
    run.logMetric("decision_threshold", criterion.decision(), 0);
    run(runner, MergersPipeline.test(runner.options("mergers"), new MergersPipeline.Inputs(model, images,
        info.preprocessingOrDefault(), params.batchSize, criterion.decision(), settings.seed(), out)),
        PredictImages.testProgress(images, System.out), images, calibration);
    DeadLetterSummary dead = deadLetters(out);
    double[] test = scores(out.resolve(MergersPipeline.TEST_PREDICTIONS), MergerCriterion.MERGER_VOTE, false);
    if (test.length == 0) {
      throw new UserError("no image of --images " + params.images + " could be used:\n" + dead.table()
          + "Fix the images as each reason says (the dead letters are kept in " + out.resolve("dead-letter")
          + ") and run again.");
    }
    MergerFractionEstimator.Estimate e = new MergerFractionEstimator(criterion, settings.resamples(),
        settings.confidence(), settings.seed()).estimate(test, valPredicted, valTruth);
    DecisionSensitivity sensitivity = DecisionSensitivity.of(criterion, breakEven, test, valPredicted, valTruth,
        settings.seed());
    Optional<DomainShift> shift = calibration == null ? Optional.empty()
        : new DomainShiftCheck(settings.shiftAlpha(), settings.shiftGalaxies(), settings.seed()).check(out, criterion,
            e.corrected().value());
    Reliability reliability = Reliability.of(e, shift, params.isAuto()).withDecisions(sensitivity)
        .withLeftOut(dead.total(), test.length, dead.counts());

    Path reportDir = out.resolve(REPORT_DIR);
    CandidateGallery.Written candidates;
    MergerReport.Written report;
    try {
      candidates = CandidateGallery.write(out, criterion.decision(), settings.seed(), reportDir,
          PredictImages.isIngested(images) ? null : images, info.preprocessingOrDefault().cropSize());
      report = MergerReport.write(new MergerReport.Inputs(e, sensitivity, valPredicted, valTruth, trueFraction, shift, reliability,
          Optional.of(candidates), String.format("%,d test galaxies from %s", test.length, params.images),
          model.label(), decision), reportDir);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write the merger report in " + reportDir, ex);
    }
    log(run, e, trueFraction, valPredicted.length);
    run.setTag("gz.mergers.decision_dependent", Boolean.toString(!sensitivity.stable()));
    sensitivity.lowest().ifPresent(v -> run.logMetric("merger_fraction_corrected_min_over_decisions", v, 0));
    sensitivity.highest().ifPresent(v -> run.logMetric("merger_fraction_corrected_max_over_decisions", v, 0));
    log(run, shift, reliability, candidates);
    run.logMetric("dead_letters", dead.total(), 0);
    run.logArtifact(reportDir, "");
    Result r = new Result(run.runId(), e, sensitivity, trueFraction, shift, reliability, candidates, report, test.length,
        valPredicted.length);
    if (dead.total() > 0) {
      System.out.print(dead.table());
      System.out.println("  dead letters: " + out.resolve("dead-letter") + " (those images are left out of everything below)");
    }
    // A damaged archive hides an unknown number of galaxies: the estimate below is of part of the sample.
    for (DeadLetter d : dead.examples(Problem.CORRUPT_ARCHIVE.code())) {
      System.out.println("!!!! " + d.getSource() + ": " + d.getReason());
      System.out.printf(Locale.ROOT, "!!!! The numbers below are of the %,d galaxies read before the damage, not of the"
          + " whole archive.%n", test.length);
    }
    print(r);
    return r;
  }

  private static void print(Result r) {
    MergerFractionEstimator.Estimate e = r.estimate();
    System.out.printf(Locale.ROOT, "%,d test galaxies, %,d called %s (%s); merger fractions with %d%% intervals:%n",
        e.galaxies(), e.predictedMergers(), e.predictedMergers() == 1 ? "a merger" : "mergers", e.criterion(),
        Math.round(100 * e.confidence()));
    print("raw", e.raw(), "  the share called mergers");
    print("expected", e.expected(), "  the mean predicted merger vote: no threshold, no calibration (biased as the"
        + " model's votes are; its interval is sampling only)");
    ThresholdCalibration calibration = e.calibration();
    print("corrected", e.corrected(), "  raw corrected with the completeness"
        + (calibration.total() == 0 ? " and false-positive rate on validation" : String.format(Locale.ROOT,
            " (%s) and false-positive rate (%s) on validation", Numbers.percent(calibration.completeness()),
            Numbers.percent(calibration.falsePositiveRate())))
        + (r.reliability().reliable() ? "" : "; UNRELIABLE (see below)"));
    if (calibration.total() > 0) {
      System.out.println("          corrected at other decisions (predicted Class8.6): " + r.sensitivity().line()
          + (r.sensitivity().stable() ? "" : "; * differs from the decision in use beyond what sampling explains: it"
              + " depends on the decision, so this model does not measure it here"));
    }
    r.trueFraction().ifPresent(t -> System.out.println("true (synthetic) " + Numbers.percent(t)));
    if (r.domainShift().isEmpty()) {
      System.out.println("domain-shift check: not run (it needs a validation split and two or more galaxies a side)");
    }
    r.domainShift().ifPresent(s -> s.verdict(SHOWN_SHIFTS).forEach(line -> System.out.println(
        (s.detected() ? "!!!! " : "") + line)));
    if (!r.reliability().reliable()) {
      System.out.println("!!!! The corrected merger fraction is UNRELIABLE:");
      r.reliability().reasons().forEach(reason -> System.out.println("!!!!   - " + reason));
      System.out.println(r.domainShift().filter(DomainShift::imagesDiffer).isPresent()
          ? "!!!! For images like these, calibrate on labelled images of the same kind (--validation <an ingested"
              + " folder of them>), or count the report's candidates you confirm by eye: over the sample, a lower"
              + " limit on the fraction (it misses the mergers the model does not call)."
          : "!!!! Check the candidate gallery in the report before using any of these numbers (the candidates you"
              + " confirm by eye, over the sample, are a lower limit on the fraction).");
    }
    CandidateGallery.Written c = r.candidates();
    System.out.printf(Locale.ROOT, "candidates: %,d predicted %s in %s; %d of them and %d %s just below the"
        + " decision threshold shown in %s%n", c.candidates(), c.candidates() == 1 ? "merger" : "mergers", c.csv(),
        c.topShown(), c.belowShown(), c.belowShown() == 1 ? "galaxy" : "galaxies", r.report().html().getParent());
    System.out.println("report: " + r.report().html() + "; run " + r.runId());
  }

  /** Where the model calls a merger, and why there; where auto would ({@code breakEven}), when it does not. */
  private static String decision(MergersParams params, MergerCriterion criterion, MergerCriterion breakEven,
      double[] valTruth) {
    String at = String.format(Locale.ROOT, "the model calls a galaxy a merger at predicted %s >= %.3f",
        criterion.answer().id(), criterion.decision());
    String source = params.decision == null ? "the threshold" : "mergers.decision";
    long mergers = Arrays.stream(valTruth).filter(criterion::isMerger).count();
    if (mergers == 0) {
      return at + (params.isAuto() ? " (mergers.decision auto, but no validation galaxy is a merger: the threshold)"
          : " (" + source + ")");
    }
    String where = String.format(Locale.ROOT, "where it calls as many of the %,d validation galaxies mergers as"
        + " the %,d whose votes reach %s", valTruth.length, mergers, criterion.threshold());
    return at + (params.isAuto() ? " (auto: " + where + ")" : String.format(Locale.ROOT,
        " (%s; --decision auto would call at %.3f, %s)", source, breakEven.decision(), where));
  }

  /** Runs one of the stage's pipelines (with its progress, or null), saying which input a failure is about. */
  private static void run(PipelineRunner runner, Pipeline pipeline, PipelineProgress progress, Path images,
      Path calibration) {
    try {
      runner.run(pipeline, progress);
    } catch (RuntimeException e) {
      throw ShardCheck.explain(e, images, calibration);
    }
  }

  private static void print(String name, MergerFractionEstimator.Interval i, String note) {
    Numbers.Shown shown = Numbers.percentInterval(i.value(), i.low(), i.high());
    System.out.printf(Locale.ROOT, "%-9s %s%s%n", name, Double.isNaN(i.low()) ? shown.value() : shown, note);
  }

  private static void log(TrackedRun run, MergerFractionEstimator.Estimate e, OptionalDouble truth, int validation) {
    run.logMetric("test_galaxies", e.galaxies(), 0);
    run.logMetric("validation_galaxies", validation, 0);
    run.logMetric("predicted_mergers", e.predictedMergers(), 0);
    logInterval(run, "merger_fraction_raw", e.raw());
    logInterval(run, "merger_fraction_expected", e.expected());
    logInterval(run, "merger_fraction_corrected", e.corrected());
    ThresholdCalibration c = e.calibration();
    run.logMetric("validation_completeness", c.completeness(), 0);
    run.logMetric("validation_purity", c.purity(), 0);
    run.logMetric("validation_false_positive_rate", c.falsePositiveRate(), 0);
    truth.ifPresent(t -> run.logMetric("merger_fraction_true", t, 0));
  }

  /** Tags and metrics a run list can filter and sort on: was there a shift, and is the correction trusted. */
  private static void log(TrackedRun run, Optional<DomainShift> shift, Reliability reliability,
      CandidateGallery.Written candidates) {
    shift.ifPresent(s -> {
      run.logMetric("domain_shift", s.imagesDiffer() ? 1 : 0, 0);
      run.logMetric("domain_shift_quantities", s.shifted().size(), 0);
      run.logMetric("domain_shift_max_ks", s.comparisons().stream().mapToDouble(DomainShift.Comparison::statistic)
          .max().orElse(0), 0);
      run.setTag("gz.mergers.domain_shift", s.imagesDiffer() ? s.shiftedKeys() : "none");
      s.matching().ifPresent(m -> {
        run.logMetric("matching_merger_fraction_low", m.low(), 0);
        run.logMetric("matching_merger_fraction_high", m.high(), 0);
      });
    });
    run.logMetric("merger_fraction_corrected_reliable", reliability.reliable() ? 1 : 0, 0);
    run.setTag("gz.mergers.corrected_reliable", Boolean.toString(reliability.reliable()));
    run.logMetric("merger_candidates", candidates.candidates(), 0);
  }

  /** An interval as three metrics: key, key_low, key_high. */
  public static void logInterval(TrackedRun run, String key, MergerFractionEstimator.Interval i) {
    run.logMetric(key, i.value(), 0);
    run.logMetric(key + "_low", i.low(), 0);
    run.logMetric(key + "_high", i.high(), 0);
  }

  /** Raw test images that could not be used (unreadable, badly named, wrong size). */
  private static DeadLetterSummary deadLetters(Path out) {
    try {
      if (Files.isDirectory(out.resolve("dead-letter"))) { // only raw images have dead letters
        AvroFiles.deleteTempFolders(out.resolve("dead-letter"));
      }
      return DeadLetterSummary.read(out.resolve("dead-letter"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dead letters in " + out, e);
    }
  }

  /**
   * The vote fraction for {@code answer} of every prediction under a folder: predicted, or the true label. One
   * double a galaxy: records are streamed, never held.
   */
  static double[] scores(Path dir, Answer answer, boolean truth) {
    return scores(dir, p -> true, answer, truth);
  }

  /** {@link #scores(Path, Answer, boolean)} of the predictions {@code in} keeps. */
  static double[] scores(Path dir, Predicate<Prediction> in, Answer answer, boolean truth) {
    DoubleStream.Builder out = DoubleStream.builder();
    UnitParts.forEach(dir, Prediction.class, p -> {
      if (!in.test(p)) {
        return;
      }
      List<Float> v = truth ? p.getLabels() : p.getPredictions();
      if (v == null) {
        throw new UserError("validation galaxy " + p.getGalaxyId() + " in " + dir + " has no labels: --validation"
            + " must be a labelled ingested folder");
      }
      out.add(v.get(answer.index()));
    });
    return out.build().toArray();
  }

  /**
   * The known true merger fraction of synthetic images: of the set of {@code --truth} (a truth.json)
   * that the images folder is, by its name (gz synth writes {@code images_training_rev1} and
   * {@code images_test_rev1} beside its truth.json), else of its test set. Without {@code --truth}, a
   * truth.json inside the images folder (the set itself: its test set), or beside it when the folder
   * is one of its sets; empty for real data, and for a folder that is none of the sets.
   */
  public static OptionalDouble trueFraction(Path truthFile, Path images) {
    Path abs = images.toAbsolutePath().normalize();
    String name = abs.getFileName() == null ? "" : abs.getFileName().toString();
    Path inside = abs.resolve(DatasetTruth.FILE_NAME);
    Path beside = abs.getParent() == null ? null : abs.getParent().resolve(DatasetTruth.FILE_NAME);
    Path file = truthFile != null ? truthFile
        : Files.isRegularFile(inside) ? inside
        : beside != null && Files.isRegularFile(beside) ? beside
        : null;
    if (file == null) {
      return OptionalDouble.empty();
    }
    DatasetTruth truth;
    try {
      truth = DatasetTruth.read(file);
    } catch (IOException e) {
      throw new UserError("cannot read " + file + " as a gz synth truth.json: " + e.getMessage());
    }
    Optional<DatasetTruth.SetTruth> named = Stream.of(truth.training(), truth.test())
        .filter(set -> set != null && set.directory().equals(name)).findFirst();
    if (named.isPresent()) {
      return OptionalDouble.of(named.get().trueMergerFraction());
    }
    if (truthFile == null && file.equals(beside)) {
      return OptionalDouble.empty(); // a folder beside a synthetic set, not one of its sets: nothing is known of it
    }
    if (truth.test() == null) {
      throw new UserError(file + " describes no test set and no set named " + name
          + ": give the truth.json of the synthetic set the images came from");
    }
    return OptionalDouble.of(truth.test().trueMergerFraction());
  }
}
