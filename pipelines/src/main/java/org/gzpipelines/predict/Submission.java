package org.gzpipelines.predict;

import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.evaluate.ModelRef;
import org.gzpipelines.ingest.DeadLetterSummary;
import org.gzpipelines.model.predict.SavedModel;
import org.gzpipelines.run.PipelineRunner;
import org.gzpipelines.run.Stage;
import org.gzpipelines.tracking.TrackedRun;

/**
 * The predict stage: per-galaxy predictions of a folder (or archive) of images with a trained
 * model, as a Kaggle submission CSV ({@link SubmissionCsv}). Runs the {@link PredictPipeline} into
 * a hidden work folder beside the CSV (raw images are prepared as the model's recorded
 * preprocessing says), writes the CSV, keeps the dead letters as {@code <name>.dead-letter/} beside
 * it, and logs the counts and the CSV to the run.
 */
public final class Submission implements Stage<PredictParams, Submission.Result> {

  /**
   * What was written.
   *
   * @param deadLetters folder of the images that could not be used (absent for ingested input)
   */
  public record Result(Path csv, long galaxies, Path deadLetters, long deadLetterCount, double imagesPerSecond) {}

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
    if (!Files.exists(Path.of(params.images))) {
      throw new UserError("--images " + params.images + " does not exist: give the images (a folder, a .zip or a .tar.gz,"
          + " or a folder written by gz ingest)");
    }
    Path csv = Path.of(params.out).toAbsolutePath();
    if (Files.isDirectory(csv)) {
      throw new UserError("--out " + csv + " is a folder: give the CSV file to write, e.g. " + csv.resolve("predictions.csv"));
    }
  }

  @Override
  public Result run(PredictParams params, TrackedRun run, PipelineRunner runner) throws IOException {
    Path images = Path.of(params.images).toAbsolutePath();
    Path csv = Path.of(params.out).toAbsolutePath();
    Files.createDirectories(csv.getParent());
    SavedModel.Info info = SavedModel.readInfo(model.modelDir());
    if (info.preprocessing() == null) {
      System.err.println("gz predict: the model does not record its preprocessing (trained before it was recorded,"
          + " or on data without a manifest): raw images are prepared with " + info.preprocessingOrDefault());
    }
    Path work = csv.resolveSibling("." + csv.getFileName() + ".work-" + run.runId());
    try {
      long start = System.nanoTime();
      runner.run(PredictPipeline.build(runner.options("predict"),
          new PredictPipeline.Inputs(model, images, info.preprocessingOrDefault(), params.batchSize, work)));
      double seconds = (System.nanoTime() - start) / 1e9;
      SubmissionCsv.Written written = SubmissionCsv.write(work.resolve(PredictPipeline.PREDICTIONS), csv);
      DeadLetterSummary dead = DeadLetterSummary.read(work.resolve("dead-letter"));
      Path deadLetters = keepDeadLetters(work, csv);

      Result result = new Result(csv, written.rows(), deadLetters, dead.total(), written.rows() / seconds);
      run.logMetric("galaxies", result.galaxies(), 0);
      run.logMetric("dead_letters", result.deadLetterCount(), 0);
      run.logMetric("duplicate_ids", written.duplicates().size(), 0);
      run.logMetric("images_per_second", result.imagesPerSecond(), 0);
      run.logArtifact(csv, "");
      System.out.printf(Locale.ROOT, "Wrote %s: %,d galaxies (%.1f images/s), run %s%n", csv, result.galaxies(),
          result.imagesPerSecond(), run.runId());
      if (!written.duplicates().isEmpty()) {
        System.out.printf("gz predict: %d GalaxyIDs had more than one image (one row kept each), e.g. %s%n",
            written.duplicates().size(), written.duplicates().subList(0, Math.min(5, written.duplicates().size())));
      }
      if (deadLetters != null) {
        System.out.print(dead.table().replace("every input was ingested", "every image was predicted"));
        System.out.println("  dead letters: " + deadLetters);
      }
      return result;
    } finally {
      deleteTree(work);
    }
  }

  /** Moves the pipeline's dead letters (raw images only) to {@code <csv name>.dead-letter/}; null when there are none. */
  private static Path keepDeadLetters(Path work, Path csv) throws IOException {
    Path from = work.resolve("dead-letter");
    if (!Files.isDirectory(from)) {
      return null;
    }
    String name = csv.getFileName().toString();
    Path to = csv.resolveSibling((name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name) + ".dead-letter");
    deleteTree(to);
    Files.move(from, to);
    return to;
  }

  private static void deleteTree(Path dir) throws IOException {
    // Guava's recursive delete (no symlink-safe directory handles on every file system, hence ALLOW_INSECURE).
    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      MoreFiles.deleteRecursively(dir, RecursiveDeleteOption.ALLOW_INSECURE);
    }
  }
}
