package org.gzpipelines.cli;

import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.predict.ModelRef;
import org.gzpipelines.tracking.TrackedRun;
import org.gzpipelines.tracking.Tracking;
import org.gzpipelines.tracking.TrackingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the run of a stage that uses a trained model: a child of the model's training run. */
final class StageRuns {

  private static final Logger LOG = LoggerFactory.getLogger(StageRuns.class);

  private StageRuns() {}

  /**
   * A child run named {@code stage} under the model's run; a standalone run in the default
   * experiment (tagged with the model) when the model has no run this tracking can find.
   */
  static TrackedRun start(Tracking tracking, ModelRef model, String stage) {
    TrackedRun run = null;
    if (model.runId() != null) {
      try {
        run = tracking.startChildOf(model.runId(), stage);
      } catch (TrackingException e) {
        LOG.warn("cannot attach the {} run to the model's run {} ({}); starting a standalone run",
            stage, model.runId(), e.getMessage());
      }
    }
    if (run == null) {
      run = tracking.startRun(ExperimentConfigFile.DEFAULT_EXPERIMENT, stage);
    }
    run.setTag("gz.model", model.label());
    return run;
  }
}
