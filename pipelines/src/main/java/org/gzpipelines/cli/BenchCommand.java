package org.gzpipelines.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.gzpipelines.bench.IngestBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gz bench ...}: throughput benchmarks anyone can rerun; one subcommand per component. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Throughput benchmarks (run them on an otherwise idle machine).",
    subcommands = {BenchCommand.Ingest.class})
public final class BenchCommand {

  /** {@code gz bench ingest}: Direct-runner ingest against bare JPEG decoding of the same files. */
  @Command(name = "ingest", mixinStandardHelpOptions = true,
      description = "Ingest throughput (Direct runner) against bare ImageIO decoding of the same files on the same threads.")
  static final class Ingest implements Callable<Integer> {
    @Option(names = "--images", required = true, description = "Folder of JPEGs (searched recursively).")
    Path images;

    @Option(names = "--runs", defaultValue = "3", description = "Timed runs of each (default ${DEFAULT-VALUE}), after one warm-up.")
    int runs;

    @Option(names = "--threads", description = "Decoding threads and Direct-runner workers (default: the number of cores).")
    Integer threads;

    @Option(names = "--buckets", description = "Ingest's --buckets (default 4 x threads).")
    Integer buckets;

    @Override
    public Integer call() throws Exception {
      int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
      IngestBenchmark.run(images, runs, n, buckets != null ? buckets : 4 * n, System.out);
      return 0;
    }
  }
}
