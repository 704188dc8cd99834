package org.gzpipelines.cli;

import java.util.concurrent.Callable;
import org.gzpipelines.explore.Explore;
import org.gzpipelines.explore.ExploreParams;
import org.gzpipelines.ingest.Ingest;
import org.gzpipelines.ingest.IngestParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code gz explore}: the data report of an ingested dataset, tracked as an MLflow run. */
@Command(
    name = "explore",
    header = "The data report: statistics and figures of a dataset, as HTML.",
    mixinStandardHelpOptions = true,
    description = "Statistics and plots of an ingested Galaxy Zoo dataset: counts, image size and memory, "
        + "random images, the 37 label distributions, prototypes, label correlations, decision-tree "
        + "consistency, before/after downsampling, train vs validation. Writes figures, "
        + "results.json and one self-contained report.html, and logs them to an MLflow run. Each "
        + "flag overrides the key of the same name in the config's explore: section.")
final class ExploreCommand implements Callable<Integer> {

  @Mixin ConfigFlags flags;

  @Mixin RunnerMixin runner;

  @Override
  public Integer call() throws Exception {
    try (var call = flags.call("explore", ExploreParams.class, runner.runner())) {
      ExploreParams params = call.params();
      if (params.images != null) {
        // Raw input: ingested first, exactly as gz ingest would with its defaults.
        IngestParams ingest = new IngestParams();
        ingest.images = params.images;
        ingest.labels = params.labels;
        ingest.out = params.ingestTarget().toString();
        call.context().run("ingest", ingest.runName(), ingest, new Ingest(System.out));
        params.data = ingest.out;
      }
      call.context().run("explore", params.name(), params, new Explore());
    }
    return 0;
  }
}
