package org.gzpipelines.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.gzpipelines.ingest.Ingest;
import org.gzpipelines.ingest.IngestParams;
import org.gzpipelines.model.data.Manifest;
import org.gzpipelines.run.PipelineRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code gz ingest}: images (+ labels) to sharded Avro training data with a manifest. */
@Command(
    name = "ingest",
    header = "Validate, crop, downsample and split images + labels into Avro shards.",
    mixinStandardHelpOptions = true,
    description = "Ingest Galaxy Zoo images and labels into sharded Avro files: validate, centre-crop, "
        + "downsample, split 80/20 by a seeded GalaxyID hash, optionally augment the training "
        + "split, and write <out>/{train,val}/part-*.avro (or <out>/test/ without labels), "
        + "dead-letter/ and manifest.json (which lists every shard's records, size and sha256). Bad "
        + "inputs are dead-lettered and summarised; a re-run on unchanged inputs is skipped while every "
        + "shard is as the manifest lists it (--force ingests anyway). Each flag overrides the key of "
        + "the same name in the config's ingest: section.")
public final class IngestCommand implements Callable<Integer> {

  @Mixin ConfigFlags flags;

  @Mixin RunnerMixin runner;

  /** The parameters these flags (and --config) describe. */
  public IngestParams params() {
    return flags.section("ingest", IngestParams.class);
  }

  /** The runner these flags describe. */
  public PipelineRunner runner() {
    return runner.runner();
  }

  @Override
  public Integer call() throws Exception {
    try (var call = flags.call("ingest", IngestParams.class, runner.runner())) {
      Ingest ingest = new Ingest(System.out);
      // Asked before the run opens, as gz run does: an unchanged re-run leaves no empty run in MLflow.
      Optional<Manifest> current = ingest.current(call.params());
      if (current.isPresent()) {
        System.out.println("gz ingest: " + Ingest.skippedNotice(Path.of(call.params().out).toAbsolutePath().normalize(), current.get()));
      } else {
        call.context().run("ingest", call.params().runName(), call.params(), ingest);
      }
    }
    return 0;
  }
}
