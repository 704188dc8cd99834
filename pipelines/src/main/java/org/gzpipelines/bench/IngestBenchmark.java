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
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.gzpipelines.ingest.ImageInput;
import org.gzpipelines.ingest.Ingest;
import org.gzpipelines.ingest.IngestOptions;

/**
 * Ingest throughput against its floor: (a) bare JPEG decoding of the same files (read + {@code
 * ImageIO.read}) in a pool of {@code threads} threads, (b) the whole Direct-runner ingest with the
 * same number of workers into a fresh temporary folder. Each is warmed up once, then timed {@code
 * runs} times; medians and their ratio are printed.
 */
public final class IngestBenchmark {

  /** Images/s of each timed run and the medians. */
  public record Report(int images, int threads, List<Double> decodeRates, List<Double> ingestRates) {
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
  }

  private IngestBenchmark() {}

  public static Report run(Path images, int runs, int threads, PrintStream log) throws Exception {
    List<Path> files = imageFiles(images);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no *.jpg images under " + images);
    }
    ImageIO.setUseCache(false);
    log.printf("Benchmark: %d images under %s, %d threads, %d timed runs each (+1 warm-up)%n", files.size(), images, threads, runs);
    List<Double> decode = new ArrayList<>();
    List<Double> ingest = new ArrayList<>();
    Path scratch = Files.createTempDirectory("gz-bench-ingest");
    try {
      for (int run = 0; run <= runs; run++) {
        double d = files.size() / decodeSeconds(files, threads);
        double i = files.size() / ingestSeconds(images, scratch.resolve("run-" + run), threads);
        String label = run == 0 ? "warm-up" : "run " + run;
        log.printf("  %-8s bare decode %7.1f images/s   ingest %7.1f images/s%n", label, d, i);
        if (run > 0) {
          decode.add(d);
          ingest.add(i);
        }
      }
    } finally {
      try (Stream<Path> walk = Files.walk(scratch)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Report report = new Report(files.size(), threads, decode, ingest);
    log.printf("Median: bare decode %.1f images/s, ingest %.1f images/s; ingest takes %.2fx the time of bare decoding%n",
        report.decodeMedian(), report.ingestMedian(), report.ratio());
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

  private static double ingestSeconds(Path images, Path out, int threads) throws IOException {
    IngestOptions options = PipelineOptionsFactory.as(IngestOptions.class);
    options.setRunner(DirectRunner.class);
    options.as(DirectOptions.class).setTargetParallelism(threads);
    options.setImages(images.toString());
    options.setExpectedSize(0);
    long start = System.nanoTime();
    Ingest.run(options, out, new PrintStream(PrintStream.nullOutputStream()));
    return (System.nanoTime() - start) / 1e9;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
