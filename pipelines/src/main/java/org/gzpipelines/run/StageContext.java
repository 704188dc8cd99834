package org.gzpipelines.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.model.data.Manifest;
import org.gzpipelines.predict.ModelParams;
import org.gzpipelines.predict.ModelRef;
import org.gzpipelines.tracking.Provenance;
import org.gzpipelines.tracking.RunStatus;
import org.gzpipelines.tracking.TrackedRun;
import org.gzpipelines.tracking.Tracking;
import org.gzpipelines.tracking.TrackingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way a stage's run is started, tracked and finished: {@code gz <stage>}, {@code gz run},
 * {@code gz demo} and {@code gz explore --images} all call stages through here.
 *
 * <pre>{@code
 * StageContext ctx = new StageContext(tracking, null, "galaxy-zoo", configFile, PipelineRunner.direct());
 * Ingest.Result r = ctx.run("ingest", params.runName(), params, new Ingest(System.out));
 * }</pre>
 *
 * @param tracking where runs are recorded
 * @param parent the run of a {@code gz run} whose children the stages' runs become, or null
 * @param experiment the MLflow experiment of top-level runs
 * @param configFile the config the parameters came from (its path is tagged), or null
 * @param runner where Beam stages run their pipelines (null for a context of non-Beam stages only)
 * @param experimentChosen the user named the experiment (--experiment): a stage that uses a model
 *     then runs as a top-level run there, not as a child of the model's training run (whose
 *     experiment may be another)
 */
public record StageContext(Tracking tracking, TrackedRun parent, String experiment, Path configFile,
    PipelineRunner runner, boolean experimentChosen) {

  /** A context whose stages with a model run under the model's training run. */
  public StageContext(Tracking tracking, TrackedRun parent, String experiment, Path configFile, PipelineRunner runner) {
    this(tracking, parent, experiment, configFile, runner, false);
  }

  private static final Logger LOG = LoggerFactory.getLogger(StageContext.class);

  /** On a stage's run that lives under its model's training run: the study's parent run that ran it. */
  public static final String STUDY_RUN_TAG = "gz.study_run";

  /** Top-level runs for a stage command: the experiment and file of {@code cfg}. */
  public static StageContext of(Tracking tracking, ExperimentConfigFile cfg, Path configFile, PipelineRunner runner) {
    return new StageContext(tracking, null, cfg.experimentName(), configFile, runner);
  }

  /** The same stages as top-level runs of {@code experimentName}. */
  public StageContext inExperiment(String experimentName) {
    return new StageContext(tracking, parent, experimentName, configFile, runner, experimentChosen);
  }

  /** The same stages, in the experiment the user named: see {@link #experimentChosen}. */
  public StageContext withExperimentChosen() {
    return new StageContext(tracking, parent, experiment, configFile, runner, true);
  }

  /**
   * Runs {@code stage} in a new run named {@code runName} (a child of {@link #parent} when set):
   * see {@link #execute}.
   */
  public <P, R> R run(String stage, String runName, P params, Stage<P, R> body) throws Exception {
    StopSignals.check("before the " + stage + " stage");
    body.check(params);
    checkRunner();
    TrackedRun run = parent != null ? parent.startChild(runName) : tracking.startRun(experiment, runName);
    return execute(stage, params, run, body);
  }

  /**
   * Runs a stage that uses a trained model ({@code params.model}, resolved first) in a child run of
   * the model's training run; in a run of this context (tagged with the model) when the model has
   * no run this tracking can find, or the user chose the experiment ({@link #experimentChosen}).
   */
  public <P extends ModelParams, R> R runWithModel(String stage, P params, Function<ModelRef, Stage<P, R>> body)
      throws Exception {
    if (params.model == null) {
      throw new UserError("'" + stage + ".model' is not set: give --model <run id, run folder, saved model folder,"
          + " models:/<name>/<version>, models:/<name>@<alias> or runs:/<run id>/best-model>");
    }
    StopSignals.check("before the " + stage + " stage");
    return runWithModel(stage, params, ModelRef.resolve(params.model, tracking), body);
  }

  /**
   * {@link #runWithModel(String, ModelParams, Function)} with {@code params.model} already resolved
   * to {@code model}: a caller that needed the model first (a study fingerprints it) does not ask the
   * server twice, nor print an alias's version twice.
   */
  public <P extends ModelParams, R> R runWithModel(String stage, P params, ModelRef model,
      Function<ModelRef, Stage<P, R>> body) throws Exception {
    StopSignals.check("before the " + stage + " stage");
    Stage<P, R> stageBody = body.apply(model);
    stageBody.check(params);
    checkRunner();
    String modelRunId = model.runId();
    String runName = parent != null ? stage : stageBody.runName(stage, params);
    TrackedRun run = null;
    if (modelRunId != null && !experimentChosen) {
      try {
        run = tracking.startChildOf(modelRunId, runName);
      } catch (TrackingException e) {
        LOG.warn("cannot attach the {} run to the model's run {} ({}); starting a standalone run",
            stage, modelRunId, e.getMessage());
      }
    }
    if (run == null) {
      run = parent != null ? parent.startChild(stage) : tracking.startRun(experiment, runName);
    } else if (parent != null) {
      // An MLflow run has one parent, here the model's run: the study that ran it is named by a tag,
      // so tags.`gz.study_run` = '<parent id>' finds these runs of a study beside its own children.
      run.setTag(STUDY_RUN_TAG, parent.runId());
    }
    run.setTag("gz.model", model.label());
    return execute(stage, params, run, stageBody);
  }

  /**
   * Runs {@code body} in {@code run}: tags it with the stage and the config's provenance, logs the
   * parameters record (flattened under the stage's section name, e.g. {@code ingest.crop-size}),
   * and ends the run FINISHED, or FAILED when the stage throws, or KILLED when it stopped on
   * Ctrl-C or SIGTERM ({@link StageStopped}, or any error after a stop was requested: a cancelled
   * pipeline may fail on the way). A stage that ended its run itself (a stopped training ends
   * KILLED) keeps its status.
   */
  public <P, R> R execute(String stage, P params, TrackedRun run, Stage<P, R> body) throws Exception {
    try {
      run.setTag("gz.stage", stage);
      if (configFile != null) {
        run.setTag(Provenance.CONFIG_PATH, configFile.toString());
      }
      // The stage's effective parameters (its section after extends:, flags and defaults), so two
      // runs with the same sha256 ran with the same settings whatever file or flags gave them.
      run.setTag(Provenance.CONFIG_SHA256, Provenance.sha256(ExperimentConfigFile.toYaml(stage, params)));
      Path data = body.data(params);
      if (data != null && Files.isRegularFile(data.resolve(Manifest.FILE_NAME))) {
        Provenance.tagDataManifest(run, data.resolve(Manifest.FILE_NAME));
      }
      Map<String, String> logged = new LinkedHashMap<>(ExperimentConfigFile.flatten(stage, params));
      logged.keySet().removeIf(key -> !body.logsParam(params, key.substring(stage.length() + 1)));
      run.logParams(logged);
      if (runner != null) {
        run.logParam("runner", runner.describe());
        if (runner.kind() == PipelineRunner.Kind.FLINK) {
          run.logParam("flink_master", runner.flinkMaster());
        }
      }
      System.out.println("gz " + stage + ": run " + run.runId() + " in experiment '" + run.experimentName() + "'"
          + (parent != null ? "" : run.lostServer() ? ", locally only in " + run.localDir() + " (gz sync uploads it later)"
              : ", " + tracking.destination()));
      R result = body.run(params, run, runner == null ? null : runner.taggingJobsOn(run));
      if (!run.isEnded()) {
        run.end(RunStatus.FINISHED);
      }
      remindToSync(stage, run);
      return result;
    } catch (Exception | Error e) {
      boolean stopped = e instanceof StageStopped || StopSignals.requested().isPresent();
      if (!run.isEnded()) {
        run.end(stopped ? RunStatus.KILLED : RunStatus.FAILED);
      }
      if (stopped) {
        System.err.println("gz " + stage + ": run " + run.runId() + " ended KILLED");
      }
      remindToSync(stage, run);
      throw e;
    }
  }

  /** A cluster that cannot run the stage fails it before its run exists (no FAILED run per misfire). */
  private void checkRunner() {
    if (runner != null) {
      runner.checkReady();
    }
  }

  /** The last line a run prints when its server went away, or was gone from its start (the warning then is long scrolled past). */
  static void remindToSync(String stage, TrackedRun run) {
    if (run.lostServer()) {
      // A study's parent: its stages' runs lost the server too, and sync uploads a folder of runs at once.
      Path upload = stage.equals("run") ? run.localDir().getParent() : run.localDir();
      System.err.println("gz " + stage + ": the MLflow server did not answer during run " + run.runId()
          + ", which is complete only in " + run.localDir() + "; upload it with: gz sync " + upload);
    }
  }
}
