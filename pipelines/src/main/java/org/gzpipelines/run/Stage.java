package org.gzpipelines.run;

import java.nio.file.Path;
import org.gzpipelines.tracking.TrackedRun;

/**
 * One stage of the study (synth, ingest, explore, train, evaluate, mergers, compare): typed
 * parameters in (the stage's config section), a typed result out. The caller, {@code gz <stage>}
 * or {@code gz run}, starts the run and hands it in through {@link StageContext}, which also ends it,
 * so every stage is tracked the same way.
 *
 * @param <P> the parameters record: the stage's YAML section, defaults included
 * @param <R> what the stage produced
 */
@FunctionalInterface
public interface Stage<P, R> {

  /**
   * Runs the stage, logging to {@code run} (left open: the caller ends it) and running any Beam
   * pipeline on {@code runner}.
   */
  R run(P params, TrackedRun run, PipelineRunner runner) throws Exception;

  /**
   * Fails with a {@code UserError} naming the key and the fix when the parameters cannot work
   * (inputs missing, a folder without shards); called before the run is created, so a mistyped
   * path leaves no FAILED run behind.
   */
  default void check(P params) throws Exception {}

  /**
   * The ingested dataset the stage reads (its manifest's sha256 is tagged on the run as data
   * provenance), or null where it reads none.
   */
  default Path data(P params) {
    return null;
  }

  /**
   * The name of the stage's run when a command runs it alone: the stage's name, or more where the
   * runs of one stage over different inputs must be told apart in MLflow's run list. A study keeps
   * the stage's name: its runs are told apart by the study.
   */
  default String runName(String stage, P params) {
    return stage;
  }

  /**
   * Whether the run logs the section's key {@code key} (given without the section's name) as a
   * parameter: every key, unless some do not apply to this run (the mean-label baseline reads
   * three train keys, and would otherwise show an optimiser and a network it does not have).
   */
  default boolean logsParam(P params, String key) {
    return true;
  }
}
