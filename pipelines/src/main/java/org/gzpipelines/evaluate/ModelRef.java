package org.gzpipelines.evaluate;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.model.predict.SavedModel;
import org.gzpipelines.model.train.GalaxyTrainer;

/**
 * A trained model as the user names it on the command line, resolved to its saved-model folder and
 * (where known) the training run it belongs to.
 *
 * <ul>
 *   <li>a saved-model folder (holds model.json): used as is; its run is the folder two levels up
 *       when that is a run folder ({@code <runs>/<id>/train/best-model});
 *   <li>a run folder (holds meta.json) or a run id under the runs directory: its {@code
 *       train/best-model} (the weights with the best validation RMSE), else {@code train/model}.
 * </ul>
 *
 * @param runId the training run's id, or null for a model folder outside any run
 */
public record ModelRef(Path modelDir, String runId) {

  private static final String RUN_META = "meta.json";

  public static ModelRef resolve(String arg, Path runsDir) {
    Path p = Path.of(arg);
    if (Files.isRegularFile(p.resolve(SavedModel.INFO_FILE))) {
      Path run = p.toAbsolutePath().normalize().getParent();
      run = run == null ? null : run.getParent();
      boolean inRun = run != null && Files.isRegularFile(run.resolve(RUN_META));
      return new ModelRef(p, inRun ? run.getFileName().toString() : null);
    }
    Path runFolder = Files.isRegularFile(p.resolve(RUN_META)) ? p
        : Files.isRegularFile(runsDir.resolve(arg).resolve(RUN_META)) ? runsDir.resolve(arg) : null;
    if (runFolder == null) {
      throw new UserError("--model " + arg + ": not a saved model folder (no " + SavedModel.INFO_FILE
          + "), a run folder (no " + RUN_META + ") or a run id under " + runsDir.toAbsolutePath()
          + "; give the run folder gz train printed, its train/best-model folder, or set GZ_RUNS_DIR");
    }
    Path work = runFolder.resolve(GalaxyTrainer.WORK_DIR);
    for (String name : new String[] {GalaxyTrainer.BEST_MODEL_DIR, GalaxyTrainer.MODEL_DIR}) {
      if (Files.isRegularFile(work.resolve(name).resolve(SavedModel.INFO_FILE))) {
        return new ModelRef(work.resolve(name), runFolder.toAbsolutePath().normalize().getFileName().toString());
      }
    }
    throw new UserError("run " + runFolder + " holds no saved model (no " + work.resolve(GalaxyTrainer.BEST_MODEL_DIR)
        + " or " + work.resolve(GalaxyTrainer.MODEL_DIR) + "): was it a gz train run, and did it finish?");
  }

  /** What predictions record as their model: the run id, else the model folder. */
  public String label() {
    return runId != null ? runId : modelDir.toAbsolutePath().normalize().toString();
  }
}
