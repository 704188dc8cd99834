package org.gzpipelines.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.gzpipelines.ingest.ImageInput;
import org.gzpipelines.ingest.Ingest;
import org.gzpipelines.ingest.IngestParams;
import org.gzpipelines.run.PipelineRunner;

/**
 * Ingest throughput against its floor: (a) bare JPEG decoding of the same files (read + {@code
 * ImageIO.read}) in a pool of {@code threads} threads, (b) the whole Direct-runner ingest with the
 * same number of workers into a fresh temporary folder. Each is warmed up once, then timed {@code
 * runs} times; medians and their ratio are printed.
 */
public final class IngestBenchmark {

  /**
   * Images/s of each timed run, CPU milliseconds per image (all threads of this process), and
   * medians. CPU per image is the steadier number on a machine shared with other work.
   */
  public record Report(int images, int threads, List<Double> decodeRates, List<Double> ingestRates,
      List<Double> decodeCpuMs, List<Double> ingestCpuMs) {
    public double decodeMedian() {
      return median(decodeRates);
    }

    public double ingestMedian() {
      return median(ingestRates);
    }

    /** Ingest time per image over bare decode time per image (1.0 = as fast as decoding alone). */
    public double ratio() {
      return decodeMedian() / ingestMedian();
    }

    /** Ingest CPU per image over bare decode CPU per image. */
    public double cpuRatio() {
      return median(ingestCpuMs) / median(decodeCpuMs);
    }
  }

  private IngestBenchmark() {}

  public static Report run(Path images, int runs, int threads, int buckets, PrintStream log) throws Exception {
    List<Path> files = imageFiles(images);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no *.jpg images under " + images);
    }
    ImageIO.setUseCache(false);
    log.printf("Benchmark: %d images under %s, %d threads, %d buckets, %d timed runs each (+1 warm-up)%n",
        files.size(), images, threads, buckets, runs);
    List<Double> decode = new ArrayList<>();
    List<Double> ingest = new ArrayList<>();
    List<Double> decodeCpu = new ArrayList<>();
    List<Double> ingestCpu = new ArrayList<>();
    Path scratch = Files.createTempDirectory("gz-bench-ingest");
    try {
      for (int run = 0; run <= runs; run++) {
        long cpu0 = cpuNanos();
        double d = files.size() / decodeSeconds(files, threads);
        long cpu1 = cpuNanos();
        double i = files.size() / ingestSeconds(images, scratch.resolve("run-" + run), threads, buckets);
        long cpu2 = cpuNanos();
        double dCpu = (cpu1 - cpu0) / 1e6 / files.size();
        double iCpu = (cpu2 - cpu1) / 1e6 / files.size();
        String label = run == 0 ? "warm-up" : "run " + run;
        log.printf("  %-8s bare decode %7.1f images/s (%5.2f ms CPU/image)   ingest %7.1f images/s (%5.2f ms CPU/image)%n",
            label, d, dCpu, i, iCpu);
        if (run > 0) {
          decode.add(d);
          ingest.add(i);
          decodeCpu.add(dCpu);
          ingestCpu.add(iCpu);
        }
      }
    } finally {
      try (Stream<Path> walk = Files.walk(scratch)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Report report = new Report(files.size(), threads, decode, ingest, decodeCpu, ingestCpu);
    log.printf("Median: bare decode %.1f images/s, ingest %.1f images/s; ingest takes %.2fx the time of bare decoding"
            + " (%.2fx its CPU: %.2f vs %.2f ms/image)%n",
        report.decodeMedian(), report.ingestMedian(), report.ratio(), report.cpuRatio(),
        median(ingestCpu), median(decodeCpu));
    return report;
  }

  static List<Path> imageFiles(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).filter(p -> ImageInput.isImageName(p.toString())).sorted().toList();
    }
  }

  private static double decodeSeconds(List<Path> files, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long start = System.nanoTime();
      List<Future<Integer>> widths = new ArrayList<>();
      for (Path file : files) {
        widths.add(pool.submit(() -> {
          try {
            return ImageIO.read(file.toFile()).getWidth();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }));
      }
      for (Future<Integer> w : widths) {
        w.get();
      }
      return (System.nanoTime() - start) / 1e9;
    } finally {
      pool.shutdown();
    }
  }

  private static double ingestSeconds(Path images, Path out, int threads, int buckets) throws IOException {
    IngestParams params = new IngestParams();
    params.images = images.toString();
    params.out = out.toString();
    params.expectedSize = 0;
    params.buckets = buckets;
    PipelineRunner runner = new PipelineRunner(PipelineRunner.Kind.DIRECT, PipelineRunner.DEFAULT_FLINK_MASTER, threads, false);
    long start = System.nanoTime();
    new Ingest(new PrintStream(PrintStream.nullOutputStream())).ingest(params, runner);
    return (System.nanoTime() - start) / 1e9;
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
