package org.gzpipelines.run;

import java.io.PrintStream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.gzpipelines.model.train.ProgressBar;
import org.joda.time.Duration;

/**
 * A pipeline's images done, as a progress bar on {@code out} while it runs on the Direct runner:
 * the Beam counter {@code namespace/name} that its work units increment, out of {@code total}.
 * At the Kaggle size ingest, mergers and predict each run for minutes on a laptop; without it the
 * terminal shows nothing between "Ingesting ..." and the result. (Beam's Flink runner reports a
 * batch job's counters only when it ends, and embedded Flink runs the job inside {@code run()}, so
 * neither has a counter to poll while it runs.)
 */
public record PipelineProgress(String namespace, String name, long total, PrintStream out) {

  /** Waits for the running pipeline to end, redrawing the bar as the counter moves. */
  PipelineResult.State follow(PipelineResult running) {
    ProgressBar bar = new ProgressBar(out, total, 0);
    PipelineResult.State state;
    do {
      state = running.waitUntilFinish(Duration.standardSeconds(1));
      bar.update(done(running), false);
    } while (state == null || !state.isTerminal());
    if (state == PipelineResult.State.DONE) {
      bar.update(done(running), true);
    }
    bar.finish();
    return state;
  }

  /** The counter's attempted value: the Direct runner commits it with each finished bundle. */
  private long done(PipelineResult running) {
    long sum = 0;
    for (MetricResult<Long> counter : running.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(namespace, name)).build()).getCounters()) {
      sum += counter.getAttempted();
    }
    return sum;
  }
}
