package org.gzpipelines.predict;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.model.config.TrainConfig;
import org.gzpipelines.model.data.ShardCheck;
import org.gzpipelines.model.predict.SavedModel;
import org.gzpipelines.model.train.GalaxyTrainer;
import org.gzpipelines.tracking.DownloadedModel;
import org.gzpipelines.tracking.SharedPaths;
import org.gzpipelines.tracking.ShortRunIds;
import org.gzpipelines.tracking.Tracking;
import org.gzpipelines.tracking.TrackingException;

/**
 * A trained model as the user names it on the command line, resolved to its saved-model folder and
 * (where known) the training run it belongs to.
 *
 * <ul>
 *   <li>a saved-model folder (holds model.json): used as is; its run is the folder two levels up
 *       when that is a run folder ({@code <runs>/<id>/train/best-model});
 *   <li>a run folder (holds meta.json) or a run id under the runs directory, in full or its first 8
 *       or more digits ({@link ShortRunIds}): its {@code train/best-model} (the weights with the
 *       best validation RMSE), else {@code train/model};
 *   <li>with a tracking server, a model on it: a run's full id (its best-model, else its model),
 *       {@code models:/<registered name>/<version>} (or
 *       {@code @<alias>}, {@code /latest}, {@code models:/m-<logged model id>}) or
 *       {@code runs:/<run id>/best-model} (any folder the run logged as a model), fetched once
 *       into {@code <runs dir>/.models/}; a {@code runs:} model whose run folder is here is used
 *       in place.
 * </ul>
 *
 * @param runId the training run's id, or null for a model folder outside any run
 */
public record ModelRef(Path modelDir, String runId) {

  private static final String RUN_META = "meta.json";
  private static final Pattern FULL_RUN_ID = Pattern.compile("[0-9a-f]{32}");
  /** runs:/&lt;run id&gt;[/&lt;artifact folder&gt;]: a model URI with the folder, a run (to resume) without it. */
  private static final Pattern RUN_URI = Pattern.compile("runs:/([0-9a-zA-Z]+)(?:/([\\w.-]+))?/?");

  /** Where models fetched from the tracking server are kept, under the runs directory. */
  public static final String CACHE_DIR = ".models";

  /**
   * On a gz run study's parent run: the training run whose best model its later stages used. A
   * parent's id, copied from the MLflow UI as a study's, names that model.
   */
  public static final String STUDY_BEST_RUN_TAG = "gz.best_run";

  /** The run id in {@code runs:/<id>} or {@code runs:/<id>/<folder>} (how an MLflow user names a run); else the text as given. */
  public static String runIdIn(String given) {
    Matcher run = RUN_URI.matcher(given);
    return run.matches() ? run.group(1) : given;
  }

  /** Any form above; a model URI needs the tracking server unless its run folder is here. */
  public static ModelRef resolve(String given, Tracking tracking) {
    if (!Tracking.isModelUri(given)) {
      if (FULL_RUN_ID.matcher(given).matches() && tracking.trackingUri().isPresent() && !Files.exists(Path.of(given))
          && !Files.isDirectory(tracking.runsDir().resolve(given))) {
        return onServer(given, tracking); // a run only on the server, by the id its UI shows
      }
      return resolve(given, tracking.runsDir());
    }
    String arg = given;
    Matcher run = RUN_URI.matcher(given);
    if (run.matches() && run.group(2) != null) {
      String id = ShortRunIds.expand(run.group(1), tracking.runsDir());
      arg = "runs:/" + id + "/" + run.group(2); // the server knows full ids only
      Path local = tracking.runsDir().resolve(id).resolve(GalaxyTrainer.WORK_DIR).resolve(run.group(2));
      if (Files.isRegularFile(local.resolve(SavedModel.INFO_FILE))) {
        return new ModelRef(local, id);
      }
    }
    DownloadedModel fetched;
    try {
      fetched = tracking.downloadModel(arg, tracking.runsDir().resolve(CACHE_DIR));
    } catch (TrackingException e) {
      throw new UserError("--model " + arg + ": " + e.getMessage(), e);
    }
    if (!fetched.uri().equals(arg)) {
      System.out.println("gz: --model " + arg + " is " + fetched.uri()); // which version an alias or latest meant
    }
    if (!Files.isRegularFile(fetched.dir().resolve(SavedModel.INFO_FILE))) {
      throw new UserError("--model " + arg + " is not a model gz train saved (no " + SavedModel.INFO_FILE + " in "
          + fetched.dir() + "): name a registered version or a run's model or best-model folder");
    }
    return new ModelRef(fetched.dir(), fetched.runId());
  }

  /** Run {@code runId}'s best-model on the server, else (a baseline's) its model, else a study's best model. */
  private static ModelRef onServer(String runId, Tracking tracking) {
    try {
      return resolve("runs:/" + runId + "/" + GalaxyTrainer.BEST_MODEL_DIR, tracking);
    } catch (UserError bestModel) {
      try {
        return resolve("runs:/" + runId + "/" + GalaxyTrainer.MODEL_DIR, tracking);
      } catch (UserError model) {
        Optional<String> best = studyBestRun(() -> tracking.getRun(runId).tags());
        if (best.isPresent()) {
          return resolve(best.get(), tracking);
        }
        // The first failure: best-model is what a run id names (a baseline's model is the fallback).
        throw new UserError(bestModel.getMessage() + " (nor is runs:/" + runId + "/" + GalaxyTrainer.MODEL_DIR + ")", bestModel);
      }
    }
  }

  /** The study's best training run, when {@code tags} are a gz run parent's, said as the alias's version is. */
  private static Optional<String> studyBestRun(Supplier<Map<String, String>> tags) {
    Optional<String> best;
    try {
      best = Optional.ofNullable(tags.get().get(STUDY_BEST_RUN_TAG));
    } catch (TrackingException e) {
      return Optional.empty();
    }
    best.ifPresent(id -> System.out.println("gz: --model: run " + id + ", the best model of that gz run study"));
    return best;
  }

  /** A model folder, run folder or run id on this machine. */
  public static ModelRef resolve(String arg, Path runsDir) {
    Path p = Path.of(arg);
    if (Files.isRegularFile(p.resolve(SavedModel.INFO_FILE))) {
      Path run = runFolderOf(p);
      boolean inRun = run != null && Files.isRegularFile(run.resolve(RUN_META));
      return new ModelRef(p, inRun ? run.getFileName().toString() : null);
    }
    Path runFolder = Files.isRegularFile(p.resolve(RUN_META)) ? p : runUnder(runsDir, arg);
    if (runFolder == null) {
      throw new UserError("--model " + arg + ShortRunIds.hint(arg, runsDir) + ": not a saved model folder (no " + SavedModel.INFO_FILE
          + "), a run folder (no " + RUN_META + ") or a run id under " + runsDir.toAbsolutePath()
          + "; give the run folder gz train printed, its train/best-model folder, or set GZ_RUNS_DIR");
    }
    Path work = runFolder.resolve(GalaxyTrainer.WORK_DIR);
    for (String name : new String[] {GalaxyTrainer.BEST_MODEL_DIR, GalaxyTrainer.MODEL_DIR}) {
      if (Files.isRegularFile(work.resolve(name).resolve(SavedModel.INFO_FILE))) {
        return new ModelRef(work.resolve(name), runFolder.toAbsolutePath().normalize().getFileName().toString());
      }
    }
    Path folder = runFolder;
    Optional<String> best = studyBestRun(() -> Tracking.localSummary(folder).tags());
    if (best.isPresent()) {
      return resolve(best.get(), runsDir);
    }
    throw new UserError("run " + runFolder + " holds no saved model (no " + work.resolve(GalaxyTrainer.BEST_MODEL_DIR)
        + " or " + work.resolve(GalaxyTrainer.MODEL_DIR) + "): was it a gz train run, and did it finish?");
  }

  /** The folder of run {@code id} (in full, or a unique short id: {@link ShortRunIds}) under runsDir, or null. */
  private static Path runUnder(Path runsDir, String id) {
    Path folder = runsDir.resolve(ShortRunIds.expand(id, runsDir));
    return Files.isRegularFile(folder.resolve(RUN_META)) ? folder : null;
  }

  /**
   * The ingested folder the model was trained on, where it still has a val/ split: what mergers
   * calibrates on and evaluate scores when not told otherwise.
   */
  public Optional<Path> trainingData() {
    return recordedTrainingData().filter(data -> ShardCheck.has(data, "val"));
  }

  /**
   * The folder the model's run recorded as its training data, found from here: its run's own copy
   * of the path ({@link SharedPaths#localPath}: the saved config shares it elided, {@code .../gz2},
   * or relative to the folder the run ran in), else the saved config's. Empty without either.
   */
  public Optional<Path> recordedTrainingData() {
    Path config = modelDir.resolve(SavedModel.CONFIG_FILE);
    Optional<Path> local = SharedPaths.localPath(runFolderOf(modelDir), "train.data");
    if (local.isPresent() || !Files.isRegularFile(config)) {
      return local;
    }
    return Optional.of(Path.of(ExperimentConfigFile.load(config).section("train", TrainConfig.class).data));
  }

  /** The folder two levels above a saved model, its run's where it was saved in one ({@code <runs>/<id>/train/best-model}). */
  private static Path runFolderOf(Path modelDir) {
    Path train = modelDir.toAbsolutePath().normalize().getParent();
    return train == null ? null : train.getParent();
  }

  /** What predictions record as their model: the run id, else the model folder. */
  public String label() {
    return runId != null ? runId : modelDir.toAbsolutePath().normalize().toString();
  }
}
