package org.gzpipelines.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.mergers.DomainShift;
import org.gzpipelines.mergers.MergerMeasurement;
import org.gzpipelines.mergers.SplitShift;
import org.gzpipelines.model.data.ShardCheck;
import org.gzpipelines.model.data.ShardSet;
import org.gzpipelines.predict.ModelRef;
import org.gzpipelines.predict.PredictImages;
import org.gzpipelines.predict.SubmissionCsv;
import org.gzpipelines.run.PipelineRunner;
import org.gzpipelines.run.Stage;
import org.gzpipelines.schemas.Split;
import org.gzpipelines.taxonomy.Answer;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.gzpipelines.taxonomy.Question;
import org.gzpipelines.tracking.SharedPaths;
import org.gzpipelines.tracking.TrackedRun;

/**
 * The evaluate stage: runs the evaluate pipeline for one model and turns its outputs into metrics
 * and figures, all logged to the stage's run (the "evaluate" child of the model's training run).
 * Where the data has an unlabelled test split, it also asks whether the test images look like the
 * validation split the RMSE was measured on ({@link SplitShift}, the guard of gz mergers): a model's
 * validation RMSE says nothing about images unlike those it was validated on.
 */
public final class Evaluation implements Stage<EvaluateParams, Evaluation.Result> {

  public static final String SCATTER_PNG = "true-vs-predicted.png";
  /** The validation RMSE (overall and per label), and without test-time augmentation under --tta. */
  public static final String RMSE_JSON = "rmse.json";
  public static final String RMSE_PLAIN_JSON = "rmse-plain.json";
  public static final String FIGURES_DIR = "figures";
  /** The domain-shift check of the test split (written when the data has one). */
  public static final String DOMAIN_SHIFT_TXT = "domain-shift.txt";
  /** Shifted quantities the console lists; the text artifact lists all. */
  private static final int SHOWN_SHIFTS = 8;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What one evaluation measured and wrote.
   *
   * @param domainShift the test split against the validation split; empty without a test split
   */
  public record Result(String runId, Path output, long predictions, LabelRmse rmse, LabelRmse rmseWithoutTta,
      double seconds, List<Path> figures, Optional<DomainShift> domainShift) {

    /** Images through the whole pipeline (read, infer, write, summaries) per second of wall time. */
    public double imagesPerSecond() {
      return predictions / seconds;
    }
  }

  private final ModelRef model;

  /** Evaluates {@code model} (resolved first: its training run is the parent of the stage's run). */
  public Evaluation(ModelRef model) {
    this.model = model;
  }

  @Override
  public Path data(EvaluateParams params) {
    return Path.of(params.data);
  }

  @Override
  public void check(EvaluateParams params) {
    if (params.data == null) {
      // As gz mergers calibrates: on the validation split of the data the model was trained on.
      params.data = model.trainingData().map(Path::toString).orElseThrow(() -> new UserError("'evaluate.data' is not"
          + " set and the data the model was trained on" + model.recordedTrainingData().map(d -> ", " + d + ",").orElse("")
          + " has no val/ split here: give --data <ingested folder> (it holds val/)"));
      System.out.println("gz evaluate: the validation split of " + params.data + ", the data the model was trained on");
    }
    ShardCheck.split(Path.of(params.data), "val"); // names the folder and the fix when it has no shards
    Labels.parse(params.labels); // a mistyped answer is named before the run starts, not as a FAILED run
  }

  /** "evaluate data/gz2": one model's evaluations of several ingested sets tell apart in the runs table. */
  @Override
  public String runName(String stage, EvaluateParams params) {
    return stage + " " + SharedPaths.of(Path.of(params.data));
  }

  @Override
  public Result run(EvaluateParams params, TrackedRun run, PipelineRunner runner) {
    Path out = (params.output != null ? Path.of(params.output) : Path.of("evaluations", run.runId())).toAbsolutePath().normalize();
    run.createsOutput(out);
    run.logParam("model_dir", model.modelDir().toAbsolutePath().normalize().toString());
    run.logParam("model_run_id", model.label());

    long start = System.nanoTime();
    Pipeline pipeline = EvaluatePipeline.build(runner.options("evaluate"), params, model, out);
    List<String> splits = EvaluatePipeline.splits(Path.of(params.data));
    System.out.println("Predicting the " + String.join(" and ", splits) + (splits.size() == 1 ? " split" : " splits")
        + " of " + params.data + " ...");
    try {
      runner.run(pipeline, PredictImages.splitProgress(Path.of(params.data), splits, System.out));
    } catch (RuntimeException e) {
      throw ShardCheck.explain(e, Path.of(params.data));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long predictions = ShardSet.of(out, EvaluatePipeline.PREDICTIONS_DIR).countRecords();
    ValidationScores scores = ValidationScores.read(params, out);
    LabelRmse rmse = scores.rmse();
    LabelRmse plain = scores.withoutTta();
    writeJson(out.resolve(RMSE_JSON), rmse);
    // The Avro records again as CSV in the Kaggle submission's columns, for a spreadsheet or pandas:
    // the val CSV joins the labels CSV by GalaxyID, the test one is a submission.
    Map<Split, Path> csvs = new LinkedHashMap<>();
    splits.forEach(split -> csvs.put(Split.valueOf(split.toUpperCase(Locale.ROOT)), out.resolve("predictions-" + split + ".csv")));
    try {
      SubmissionCsv.writeBySplit(out.resolve(EvaluatePipeline.PREDICTIONS_DIR), csvs);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + csvs.values(), e);
    }

    run.logMetric("predictions", predictions, 0);
    run.logMetric("images_per_second", predictions / seconds, 0);
    run.logMetric("val_galaxies", rmse.galaxies(), 0);
    run.logMetric("val_rmse", rmse.rmse(), 0);
    for (Answer a : GalaxyZooTaxonomy.answers()) {
      run.logMetric("val_rmse/" + a.id(), rmse.perLabel()[a.index()], 0);
    }
    for (Question q : GalaxyZooTaxonomy.questions()) {
      run.logMetric("val_rmse/Class" + q.number(), rmse.rmse(q), 0);
    }
    if (plain != null) {
      run.logMetric("val_rmse_without_tta", plain.rmse(), 0);
      run.logMetric("tta_rmse_change", rmse.rmse() - plain.rmse(), 0);
    }

    Optional<DomainShift> shift = splits.contains("test")
        ? SplitShift.check(out.resolve(EvaluatePipeline.PREDICTIONS_DIR),
            out.resolve(EvaluatePipeline.VAL_IMAGE_STATISTICS), out.resolve(EvaluatePipeline.TEST_IMAGE_STATISTICS),
            MergerMeasurement.Settings.defaults())
        : Optional.empty();
    shift.ifPresent(s -> log(run, s, out));

    List<Path> figures = drawFigures(params, out, scores);
    run.logArtifact(out.resolve(RMSE_JSON), "");
    if (plain != null) {
      writeJson(out.resolve(RMSE_PLAIN_JSON), plain);
      run.logArtifact(out.resolve(RMSE_PLAIN_JSON), "");
    }
    // A folder is logged under its own name.
    run.logArtifact(out.resolve(FIGURES_DIR), "");
    run.logArtifact(out.resolve(EvaluatePipeline.PREDICTIONS_DIR), "");
    run.logArtifact(csvs.get(Split.VAL), ""); // the validation split's: the run's subject, and small
    Result r = new Result(run.runId(), out, predictions, rmse, plain, seconds, figures, shift);
    System.out.printf(Locale.ROOT, "evaluated %s: %,d predictions in %.1f s (%.0f images/s)%n", model.label(),
        r.predictions(), r.seconds(), r.imagesPerSecond());
    System.out.printf(Locale.ROOT, "validation RMSE %.5f over %,d galaxies%n", rmse.rmse(), rmse.galaxies());
    if (plain != null) {
      System.out.printf(Locale.ROOT, "without TTA %.5f: TTA changes the RMSE by %+.5f%n", plain.rmse(),
          rmse.rmse() - plain.rmse());
    }
    shift.ifPresent(s -> s.verdict(SHOWN_SHIFTS).forEach(line -> System.out.println(
        (s.detected() ? "!!!! " : "") + line)));
    System.out.println("predictions as CSV: " + csvs.values().stream().map(Path::toString).collect(Collectors.joining(", ")));
    System.out.println("outputs: " + out + "; run " + run.runId() + " (" + run.localDir() + ")");
    return r;
  }

  /**
   * The domain-shift verdict on the unlabelled test split, as gz mergers logs it: a tag naming the
   * shifted quantities ("none"), metrics, and every comparison as a text artifact.
   */
  private static void log(TrackedRun run, DomainShift s, Path out) {
    run.setTag("gz.evaluate.domain_shift", s.imagesDiffer() ? s.shiftedKeys() : "none");
    run.logMetric("domain_shift", s.imagesDiffer() ? 1 : 0, 0);
    run.logMetric("domain_shift_quantities", s.shifted().size(), 0);
    Path text = out.resolve(DOMAIN_SHIFT_TXT);
    try {
      Files.writeString(text, s.text());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + text, e);
    }
    run.logArtifact(text, "");
  }

  private static List<Path> drawFigures(EvaluateParams params, Path out, ValidationScores scores) {
    Path dir = out.resolve(FIGURES_DIR);
    List<Path> written = new ArrayList<>();
    try {
      Path scatter = dir.resolve(SCATTER_PNG);
      EvaluateFigures.scatterGrid(scores.sample(), scores.rmse(), scatter);
      written.add(scatter);

      Map<String, List<Ranked>> ranked = new HashMap<>();
      scores.extremes().lines().forEach(line -> ranked.put(line.key(), line.galaxies()));
      for (Answer a : Labels.parse(params.labels)) {
        Path png = dir.resolve(String.format(Locale.ROOT, "extremes-%s.png", a.id()));
        EvaluateFigures.extremes(a, ranked.getOrDefault(Labels.key(a.index(), Labels.BY_TRUTH), List.of()),
            ranked.getOrDefault(Labels.key(a.index(), Labels.BY_PREDICTION), List.of()), scores.images(), png);
        written.add(png);
      }
      return written;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot draw the evaluation figures in " + dir, e);
    }
  }

  private static void writeJson(Path file, LabelRmse rmse) {
    try {
      JSON.writeValue(file.toFile(), rmse);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
