package org.gzpipelines.bench;

import com.google.common.math.Quantiles;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.gzpipelines.files.FileTrees;
import org.gzpipelines.ingest.ImageFile;
import org.gzpipelines.ingest.ImageInput;
import org.gzpipelines.ingest.Ingest;
import org.gzpipelines.ingest.IngestParams;
import org.gzpipelines.run.PipelineRunner;

/**
 * Ingest throughput against its floor, at one or more input sizes: (a) bare JPEG decoding of the same
 * files (read + {@code ImageIO.read}) in a pool of {@code threads} threads, (b) the whole
 * Direct-runner ingest with the same number of workers into a fresh temporary folder. A size N
 * takes the first N images (by path) and, with labels, their rows; CPU milliseconds per image that
 * stay the same from size to size show that ingest is linear. One warm-up run on at most
 * {@link #WARM_UP_IMAGES} images first, then {@code runs} timed runs of each per size; medians are printed.
 */
public final class IngestBenchmark {
  /**
   * Why this many: the Direct runner's per-bundle code is compiled only after tens of bundles. With
   * a warm-up of 2,000 images (8 bundles) the first timed run of 10,000 still cost 1.89 ms of CPU an
   * image against 1.30-1.54 ms for the three after it (2026-12-06, load ~1.5), which made ingest
   * look cheaper per image at 61,578 than at 10,000.
   */
  private static final int WARM_UP_IMAGES = 10_000;

  /**
   * The medians at one size. CPU milliseconds per image (all threads of this process) are the steadier
   * number on a machine shared with other work; live heap is the most heap in use right after a
   * garbage collection during the ingest runs (what ingest keeps alive, plus old garbage not yet
   * collected), the number that grows with the input when memory is not bounded.
   */
  public record Measurement(int images, double decodeRate, double ingestRate, double decodeCpuMs, double ingestCpuMs,
      long liveHeapMiB) {
    /** Ingest time per image over bare decode time per image (1.0 = as fast as decoding alone). */
    public double ratio() {
      return decodeRate / ingestRate;
    }

    /** Ingest CPU per image over bare decode CPU per image. */
    public double cpuRatio() {
      return ingestCpuMs / decodeCpuMs;
    }
  }

  private IngestBenchmark() {}

  /**
   * Measures each of {@code sizes} (all images when empty) of the images under {@code images},
   * labelled by {@code labels} when given.
   */
  public static List<Measurement> run(Path images, Path labels, List<Integer> sizes, int runs, int threads, int imagesPerBundle,
      PrintStream log) throws Exception {
    List<Path> files = imageFiles(images);
    List<Integer> counts = checkedSizes(files, images, sizes);
    ImageIO.setUseCache(false);
    log.printf("Benchmark: sizes %s of the %d images under %s%s, %d threads, %d images per bundle, heap max %d MiB,"
            + " load %s; %d timed runs each (+1 warm-up)%n",
        counts, files.size(), images, labels == null ? " (unlabelled)" : " with labels " + labels, threads, imagesPerBundle,
        Runtime.getRuntime().maxMemory() >> 20, LoadAverage.now(), runs);
    Path scratch = scratchFolder(images, "gz-bench-ingest");
    List<Measurement> measurements = new ArrayList<>();
    try {
      Input warmUp = Input.of(images, files.subList(0, Math.min(WARM_UP_IMAGES, files.size())), labels, scratch.resolve("warm-up"));
      measure(warmUp, threads, imagesPerBundle, scratch.resolve("out"), "warm-up", log);
      for (int n : counts) {
        Input input = Input.of(images, files.subList(0, n), labels, scratch.resolve("input-" + n));
        List<double[]> results = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
          results.add(measure(input, threads, imagesPerBundle, scratch.resolve("out"), "run " + run, log));
        }
        Measurement m = new Measurement(n, median(results, 0), median(results, 1), median(results, 2), median(results, 3),
            (long) median(results, 4));
        measurements.add(m);
        log.printf("%,d images: bare decode %.1f images/s, ingest %.1f images/s; ingest takes %.2fx the time of bare decoding"
                + " (%.2fx its CPU: %.2f vs %.2f ms/image); live heap at most %d MiB%n",
            n, m.decodeRate(), m.ingestRate(), m.ratio(), m.cpuRatio(), m.ingestCpuMs(), m.decodeCpuMs(), m.liveHeapMiB());
      }
    } finally {
      FileTrees.delete(scratch);
    }
    if (measurements.size() > 1) {
      Measurement first = measurements.get(0);
      Measurement last = measurements.get(measurements.size() - 1);
      log.printf("Ingest CPU per image at %,d vs %,d images: %.2f vs %.2f ms (%.2fx; 1.00 = linear)%n", last.images(), first.images(),
          last.ingestCpuMs(), first.ingestCpuMs(), last.ingestCpuMs() / first.ingestCpuMs());
    }
    return measurements;
  }

  /** {decode images/s, ingest images/s, decode CPU ms/image, ingest CPU ms/image, live heap MiB} of one run. */
  private static double[] measure(Input input, int threads, int imagesPerBundle, Path out, String label, PrintStream log) throws Exception {
    int n = input.files().size();
    long cpu0 = cpuNanos();
    double d = n / decodeSeconds(input.files(), threads);
    long cpu1 = cpuNanos();
    double i;
    long heap;
    try (LiveHeap live = new LiveHeap()) {
      i = n / ingestSeconds(input, out, threads, imagesPerBundle);
      heap = live.maxMiB();
    }
    long cpu2 = cpuNanos();
    FileTrees.delete(out);
    double dCpu = (cpu1 - cpu0) / 1e6 / n;
    double iCpu = (cpu2 - cpu1) / 1e6 / n;
    log.printf("  %-8s %,7d images: bare decode %7.1f images/s (%5.2f ms CPU/image)   ingest %7.1f images/s (%5.2f ms CPU/image),"
        + " live heap at most %,d MiB, load %s%n", label, n, d, dCpu, i, iCpu, heap, LoadAverage.now());
    return new double[] {d, i, dCpu, iCpu, heap};
  }

  /**
   * The images of one size as ingest's input: hard links in a folder of their own (copies where the
   * file system has none), and their labels rows.
   */
  record Input(Path folder, Path labels, List<Path> files) {
    static Input of(Path root, List<Path> files, Path allLabels, Path dir) throws IOException {
      Path folder = dir.resolve("images");
      List<Path> linked = new ArrayList<>();
      Set<String> ids = new HashSet<>();
      for (Path file : files) {
        Path link = folder.resolve(root.relativize(file).toString());
        Files.createDirectories(link.getParent());
        try {
          Files.createLink(link, file);
        } catch (IOException | UnsupportedOperationException e) {
          Files.copy(file, link);
        }
        linked.add(link);
        Long id = ImageFile.galaxyId(file.toString());
        if (id != null) {
          ids.add(Long.toString(id));
        }
      }
      Path labels = null;
      if (allLabels != null) {
        labels = dir.resolve("labels.csv");
        List<String> lines = Files.readAllLines(allLabels);
        List<String> kept = new ArrayList<>(List.of(lines.get(0)));
        lines.stream().skip(1).filter(l -> ids.contains(l.substring(0, Math.max(0, l.indexOf(','))).trim())).forEach(kept::add);
        Files.write(labels, kept);
      }
      return new Input(folder, labels, linked);
    }
  }

  /** Beside the images, so that the inputs of each size can be hard links; else the system's temporary folder. */
  static Path scratchFolder(Path images, String name) throws IOException {
    try {
      return Files.createTempDirectory(images.toAbsolutePath().getParent(), "." + name);
    } catch (IOException e) { // a read-only data folder: Input.of copies instead of linking
      return Files.createTempDirectory(name);
    }
  }

  /** {@code sizes}, or all the images when empty, each checked to be between 1 and the number of images. */
  static List<Integer> checkedSizes(List<Path> files, Path images, List<Integer> sizes) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no images under " + images);
    }
    List<Integer> counts = sizes.isEmpty() ? List.of(files.size()) : sizes;
    for (int n : counts) {
      if (n < 1 || n > files.size()) {
        throw new IllegalArgumentException("size " + n + " is not between 1 and the " + files.size() + " images under " + images);
      }
    }
    return counts;
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

  private static double ingestSeconds(Input input, Path out, int threads, int imagesPerBundle) throws IOException {
    IngestParams params = new IngestParams();
    params.images = input.folder().toString();
    params.labels = input.labels() == null ? null : input.labels().toString();
    params.out = out.toString();
    params.expectedSize = 0;
    params.imagesPerBundle = imagesPerBundle;
    PipelineRunner runner = new PipelineRunner(PipelineRunner.Kind.DIRECT, PipelineRunner.DEFAULT_FLINK_MASTER, threads, false);
    long start = System.nanoTime();
    new Ingest(new PrintStream(PrintStream.nullOutputStream())).ingest(params, runner);
    return (System.nanoTime() - start) / 1e9;
  }

  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /**
   * The most heap a stage keeps live while it runs: every {@link #PERIOD_SECONDS} seconds a full
   * collection ({@code System.gc()}), then the heap in use. Why forced: the heap after an ordinary
   * (young) collection still holds the old generation's garbage, which G1 leaves until it needs the
   * room, so it grew with the run's length whatever the stage kept (it read 785 MiB for gz predict
   * at 79,975 images, whose live heap sampled after full collections stayed at 130-200 MiB). The
   * full collections cost every measured stage alike, a few tens of milliseconds each.
   */
  static final class LiveHeap implements AutoCloseable {
    static final int PERIOD_SECONDS = 3;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "live-heap-sampler");
      t.setDaemon(true);
      return t;
    });
    private long max;

    LiveHeap() {
      sampler.scheduleAtFixedRate(this::sample, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    private synchronized void sample() {
      System.gc();
      max = Math.max(max, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }

    synchronized long maxMiB() {
      return max >> 20;
    }

    @Override
    public void close() {
      sampler.shutdownNow();
    }
  }

  static double median(List<double[]> runs, int column) {
    return Quantiles.median().compute(runs.stream().mapToDouble(r -> r[column]).toArray());
  }
}
