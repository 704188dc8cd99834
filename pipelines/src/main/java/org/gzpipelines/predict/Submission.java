package org.gzpipelines.predict;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.files.FileTrees;
import org.gzpipelines.ingest.DeadLetterSummary;
import org.gzpipelines.model.predict.SavedModel;
import org.gzpipelines.run.PipelineRunner;
import org.gzpipelines.run.Stage;
import org.gzpipelines.tracking.SharedPaths;
import org.gzpipelines.tracking.TrackedRun;

/**
 * The predict stage: per-galaxy predictions of a folder (or archive) of images with a trained
 * model, as a Kaggle submission CSV ({@link SubmissionCsv}) or the same columns in Parquet
 * ({@link SubmissionParquet}). Runs the {@link PredictPipeline} into a hidden work folder beside
 * the output (raw images are prepared as the model's recorded preprocessing says), writes the
 * file, keeps the dead letters as {@code <name>.dead-letter/} beside it, and logs the counts and
 * the file to the run.
 */
public final class Submission implements Stage<PredictParams, Submission.Result> {

  /**
   * What was written.
   *
   * @param deadLetters folder of the images that could not be used (absent for ingested input)
   */
  public record Result(Path file, long galaxies, Path deadLetters, long deadLetterCount, double imagesPerSecond) {}

  private final ModelRef model;

  /** Predicts with {@code model} (resolved first: its training run is the parent of the stage's run). */
  public Submission(ModelRef model) {
    this.model = model;
  }

  /** Inputs a user can fix, checked before the run is created. */
  @Override
  public void check(PredictParams params) {
    if (params.images == null) {
      throw new UserError("'predict.images' is not set: give --images <folder, .zip or .tar.gz of images, or an ingested folder>");
    }
    PredictImages.checkTestImages(Path.of(params.images)).ifPresent(n -> System.err.println("gz: " + n));
    Path out = params.outputFile().toAbsolutePath().normalize();
    if (Files.isDirectory(out)) {
      throw new UserError("--out " + out + " is a folder: give the file to write, e.g. "
          + out.resolve("predictions" + params.outputFormat().extension()));
    }
  }

  /** "predict images_test_rev1.zip": one model's predictions for several samples tell apart in the runs table. */
  @Override
  public String runName(String stage, PredictParams params) {
    return stage + " " + SharedPaths.of(Path.of(params.images));
  }

  @Override
  public Result run(PredictParams params, TrackedRun run, PipelineRunner runner) throws IOException {
    Path images = Path.of(params.images).toAbsolutePath();
    Path out = params.outputFile().toAbsolutePath().normalize();
    Files.createDirectories(out.getParent());
    SavedModel.Info info = SavedModel.readInfo(model.modelDir());
    if (info.preprocessing() == null) {
      System.err.println("gz predict: the model does not record its preprocessing (trained before it was recorded,"
          + " or on data without a manifest): raw images are prepared with " + info.preprocessingOrDefault());
    }
    Path work = out.resolveSibling("." + out.getFileName() + ".work-" + run.runId());
    run.createsOutput(work);
    try {
      long start = System.nanoTime();
      runner.run(PredictPipeline.build(runner.options("predict"),
          new PredictPipeline.Inputs(model, images, info.preprocessingOrDefault(), params.batchSize, work)),
          PredictImages.testProgress(images, System.out));
      double seconds = (System.nanoTime() - start) / 1e9;
      SubmissionRows rows = SubmissionRows.read(work.resolve(PredictPipeline.PREDICTIONS));
      DeadLetterSummary dead = DeadLetterSummary.read(work.resolve("dead-letter"));
      Path deadLetters = keepDeadLetters(work, out, params.outputFormat());
      if (rows.rows().isEmpty()) { // no submission of a header alone
        throw new UserError("no image of --images " + params.images + " could be predicted:\n" + dead.table()
            + "Fix the images as each reason says" + (deadLetters == null ? "" : " (the dead letters are kept in "
            + deadLetters + ")") + " and run again.");
      }
      switch (params.outputFormat()) {
        case CSV -> SubmissionCsv.write(rows, out);
        case PARQUET -> SubmissionParquet.write(rows, out, Map.of("gz.model", model.label(), "gz.run_id", run.runId()));
      }

      Result result = new Result(out, rows.rows().size(), deadLetters, dead.total(), rows.rows().size() / seconds);
      List<Long> duplicates = rows.duplicates();
      run.logMetric("galaxies", result.galaxies(), 0);
      run.logMetric("dead_letters", result.deadLetterCount(), 0);
      run.logMetric("duplicate_ids", duplicates.size(), 0);
      run.logMetric("images_per_second", result.imagesPerSecond(), 0);
      run.logArtifact(out, "");
      System.out.printf(Locale.ROOT, "Wrote %s: %,d %s (%.1f images/s), run %s%n", out, result.galaxies(),
          result.galaxies() == 1 ? "galaxy" : "galaxies", result.imagesPerSecond(), run.runId());
      if (!duplicates.isEmpty()) {
        System.out.printf("gz predict: %d GalaxyIDs had more than one image (one row kept each), e.g. %s%n",
            duplicates.size(), duplicates.subList(0, Math.min(5, duplicates.size())));
      }
      if (deadLetters != null) {
        System.out.print(dead.table().replace("every input was ingested", "every image was predicted"));
        System.out.println("  dead letters: " + deadLetters);
      }
      return result;
    } finally {
      FileTrees.delete(work);
    }
  }

  /**
   * Moves the pipeline's dead letters (raw images only) to {@code <out name>.dead-letter/}, in place
   * of an earlier run's; null when there are none (and then an earlier run's are removed too, so
   * they are never read as this output's).
   */
  private static Path keepDeadLetters(Path work, Path out, SubmissionFormat format) throws IOException {
    String name = out.getFileName().toString();
    String stem = name.endsWith(format.extension()) ? name.substring(0, name.length() - format.extension().length()) : name;
    Path to = out.resolveSibling(stem + ".dead-letter");
    FileTrees.delete(to);
    Path from = work.resolve("dead-letter");
    if (!Files.isDirectory(from)) {
      return null;
    }
    Files.move(from, to);
    return to;
  }
}
