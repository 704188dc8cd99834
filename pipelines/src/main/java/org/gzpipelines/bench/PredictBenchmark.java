package org.gzpipelines.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.gzpipelines.beam.AvroFiles;
import org.gzpipelines.evaluate.EvaluateParams;
import org.gzpipelines.evaluate.EvaluatePipeline;
import org.gzpipelines.evaluate.ValidationScores;
import org.gzpipelines.files.FileTrees;
import org.gzpipelines.ingest.TestImageReader;
import org.gzpipelines.mergers.MergersParams;
import org.gzpipelines.mergers.MergersPipeline;
import org.gzpipelines.model.data.Manifest;
import org.gzpipelines.model.data.Preprocessing;
import org.gzpipelines.model.data.ShardCheck;
import org.gzpipelines.model.predict.GalaxyPredictor;
import org.gzpipelines.model.predict.SavedModel;
import org.gzpipelines.predict.ModelRef;
import org.gzpipelines.predict.PredictPipeline;
import org.gzpipelines.run.PipelineRunner;
import org.gzpipelines.schemas.Galaxy;

/**
 * The stages that run a model over raw images against their floor, at one or more input sizes, in
 * one process: (a) the bare predictor -- read, decode and preprocess each image ({@link
 * TestImageReader}, what the stages use) and predict in batches of {@code batchSize} with {@link
 * GalaxyPredictor} in a plain loop, one predictor per thread, on {@code threads} threads; (b) the
 * {@code gz predict} pipeline and (c) the {@code gz mergers} test pipeline (without the validation
 * split's before it) on the Direct runner with as many workers. A size N takes the first N images by path. Each
 * is timed per size, in the order bare, predict, mergers, {@code runs} times (medians printed),
 * after one warm-up of each on at most 500 images; CPU milliseconds per image that stay the same
 * from size to size show that a stage is linear. {@link #runEvaluate} compares gz evaluate with the
 * bare predictor on an ingested folder's validation records the same way.
 */
public final class PredictBenchmark {
  private static final int WARM_UP_IMAGES = 500;
  private static final String[] NAMES = {"bare predictor", "gz predict", "gz mergers"};

  /**
   * The medians at one size, indexed bare, predict, mergers.
   *
   * @param rates images per second
   * @param cpuMs CPU milliseconds per image (all threads of this process)
   * @param liveHeapMiB most heap live during the runs ({@link IngestBenchmark.LiveHeap})
   */
  public record Measurement(int images, double[] rates, double[] cpuMs, long[] liveHeapMiB) {
    /** The time per image of stage {@code i} over the bare predictor's (1.0 = as fast). */
    public double ratio(int i) {
      return rates[0] / rates[i];
    }
  }

  private PredictBenchmark() {}

  public static List<Measurement> run(Path modelDir, Path images, List<Integer> sizes, int runs, int threads, int batchSize,
      PrintStream log) throws Exception {
    List<Path> files = IngestBenchmark.imageFiles(images);
    List<Integer> counts = IngestBenchmark.checkedSizes(files, images, sizes);
    ImageIO.setUseCache(false);
    Preprocessing preprocessing = SavedModel.readInfo(modelDir).preprocessingOrDefault();
    log.printf("Benchmark: model %s, sizes %s of the %d images under %s, %d threads, batch %d, heap max %d MiB, load %s;"
            + " %d timed runs each (+1 warm-up)%n",
        modelDir, counts, files.size(), images, threads, batchSize, Runtime.getRuntime().maxMemory() >> 20,
        LoadAverage.now(), runs);
    Path scratch = IngestBenchmark.scratchFolder(images, "gz-bench-predict");
    List<Measurement> measurements = new ArrayList<>();
    Setup setup = new Setup(modelDir, preprocessing, threads, batchSize);
    try {
      IngestBenchmark.Input warmUp = IngestBenchmark.Input.of(images, files.subList(0, Math.min(WARM_UP_IMAGES, files.size())),
          null, scratch.resolve("warm-up"));
      measure(setup, warmUp, scratch.resolve("out"), "warm-up", log);
      for (int n : counts) {
        IngestBenchmark.Input input = IngestBenchmark.Input.of(images, files.subList(0, n), null, scratch.resolve("input-" + n));
        List<double[][]> results = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
          results.add(measure(setup, input, scratch.resolve("out"), "run " + run, log));
        }
        double[] rates = new double[NAMES.length];
        double[] cpu = new double[NAMES.length];
        long[] heap = new long[NAMES.length];
        for (int i = 0; i < NAMES.length; i++) {
          int stage = i;
          List<double[]> column = results.stream().map(r -> r[stage]).toList();
          rates[i] = IngestBenchmark.median(column, 0);
          cpu[i] = IngestBenchmark.median(column, 1);
          heap[i] = (long) IngestBenchmark.median(column, 2);
        }
        Measurement m = new Measurement(n, rates, cpu, heap);
        measurements.add(m);
        log.printf("%,d images: bare predictor %.1f images/s (%.2f ms CPU/image)", n, rates[0], cpu[0]);
        for (int i = 1; i < NAMES.length; i++) {
          log.printf("; %s %.1f images/s (%.2f ms CPU/image, live heap at most %d MiB), %.2fx the bare predictor's time",
              NAMES[i], rates[i], cpu[i], heap[i], m.ratio(i));
        }
        log.println();
      }
    } finally {
      FileTrees.delete(scratch);
    }
    if (measurements.size() > 1) {
      Measurement first = measurements.get(0);
      Measurement last = measurements.get(measurements.size() - 1);
      for (int i = 0; i < NAMES.length; i++) {
        log.printf("%s CPU per image at %,d vs %,d images: %.2f vs %.2f ms (%.2fx; 1.00 = linear)%n", NAMES[i], last.images(),
            first.images(), last.cpuMs()[i], first.cpuMs()[i], last.cpuMs()[i] / first.cpuMs()[i]);
      }
    }
    return measurements;
  }

  /**
   * gz evaluate (the Direct-runner pipeline: predictions and extremes; then the driver's RMSE and
   * scatter sample) against the bare predictor on the same records: each thread reads its share of the validation shards
   * and predicts them in batches. Measured at each of {@code sizes} validation records (the first
   * shards that hold about that many, in a scratch folder whose manifest lists only them; a size
   * above the split's is the whole split), so that CPU milliseconds per record from size to size
   * show whether evaluate is linear. No warm-up of its own: it runs after {@link #run} in the same
   * process, with the predictor and the Direct runner's code already compiled.
   */
  public static void runEvaluate(Path modelDir, Path data, List<Integer> sizes, int threads, int batchSize, PrintStream log)
      throws Exception {
    Setup setup = new Setup(modelDir, null, threads, batchSize);
    Path scratch = java.nio.file.Files.createTempDirectory("gz-bench-evaluate");
    List<double[]> measured = new ArrayList<>();
    try {
      for (int size : sizes.isEmpty() ? List.of(Integer.MAX_VALUE) : sizes) {
        Path subset = validationSubset(data, size, scratch.resolve("data-" + size));
        List<Path> shards = ShardCheck.split(subset, "val").shards();
        long cpu0 = IngestBenchmark.cpuNanos();
        long start = System.nanoTime();
        long n = bareRecords(setup, shards);
        double bareRate = n / ((System.nanoTime() - start) / 1e9);
        double bareCpu = (IngestBenchmark.cpuNanos() - cpu0) / 1e6 / n;
        Path out = scratch.resolve("out-" + size);
        cpu0 = IngestBenchmark.cpuNanos();
        start = System.nanoTime();
        evaluate(setup, subset, out);
        double rate = n / ((System.nanoTime() - start) / 1e9);
        double cpu = (IngestBenchmark.cpuNanos() - cpu0) / 1e6 / n;
        FileTrees.delete(out);
        measured.add(new double[] {n, cpu});
        log.printf("%,d validation records: bare predictor %.1f images/s (%.2f ms CPU/image); gz evaluate %.1f images/s"
            + " (%.2f ms CPU/image), %.2fx the bare predictor's time; load %s%n", n, bareRate, bareCpu, rate, cpu,
            bareRate / rate, LoadAverage.now());
      }
    } finally {
      FileTrees.delete(scratch);
    }
    if (measured.size() > 1) {
      double[] first = measured.get(0);
      double[] last = measured.get(measured.size() - 1);
      log.printf("gz evaluate CPU per image at %,d vs %,d records: %.2f vs %.2f ms (%.2fx; 1.00 = linear)%n",
          (long) last[0], (long) first[0], last[1], first[1], last[1] / first[1]);
    }
  }

  /**
   * A folder that reads as {@code data} with only the first validation shards holding about {@code
   * records} records: links to those shards, and the manifest with only them listed (so evaluate
   * has no test split to check either).
   */
  private static Path validationSubset(Path data, int records, Path dir) throws IOException {
    ObjectNode manifest = (ObjectNode) MAPPER.readTree(data.resolve(Manifest.FILE_NAME).toFile());
    ArrayNode kept = MAPPER.createArrayNode();
    long total = 0;
    java.nio.file.Files.createDirectories(dir.resolve("val"));
    for (JsonNode shard : manifest.path("shards").path("val")) {
      if (total >= records) {
        break;
      }
      kept.add(shard);
      total += shard.path("records").asLong();
      String file = shard.path("file").asText();
      java.nio.file.Files.createSymbolicLink(dir.resolve("val").resolve(file), data.resolve("val").resolve(file).toAbsolutePath());
    }
    manifest.set("shards", MAPPER.createObjectNode().set("val", kept));
    MAPPER.writeValue(dir.resolve(Manifest.FILE_NAME).toFile(), manifest);
    return dir;
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Each thread reads its share of the shards and predicts their records batch by batch; the records predicted. */
  private static long bareRecords(Setup setup, List<Path> shards) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(setup.threads());
    try {
      List<Future<Long>> predicted = new ArrayList<>();
      for (int t = 0; t < setup.threads(); t++) {
        int first = t;
        predicted.add(pool.submit(() -> {
          long count = 0;
          try (GalaxyPredictor predictor = GalaxyPredictor.load(setup.modelDir())) {
            for (int i = first; i < shards.size(); i += setup.threads()) {
              List<Galaxy> records = AvroFiles.read(shards.get(i), Galaxy.class);
              for (int from = 0; from < records.size(); from += setup.batchSize()) {
                count += predictor.predict(records.subList(from, Math.min(records.size(), from + setup.batchSize()))).length;
              }
            }
          }
          return count;
        }));
      }
      long total = 0;
      for (Future<Long> f : predicted) {
        total += f.get();
      }
      return total;
    } finally {
      pool.shutdown();
    }
  }

  private static void evaluate(Setup setup, Path data, Path out) {
    EvaluateParams params = new EvaluateParams();
    params.data = data.toString();
    params.batchSize = setup.batchSize();
    runner(setup).run(EvaluatePipeline.build(runner(setup).options("evaluate"), params, model(setup), out));
    ValidationScores.read(params, out); // the RMSE and scatter sample, which the driver reads from the predictions
  }

  private record Setup(Path modelDir, Preprocessing preprocessing, int threads, int batchSize) {}

  /** {images/s, CPU ms/image, live heap MiB} of bare, predict and mergers, one run each. */
  private static double[][] measure(Setup setup, IngestBenchmark.Input input, Path out, String label, PrintStream log)
      throws Exception {
    int n = input.files().size();
    double[][] result = new double[NAMES.length][];
    for (int i = 0; i < NAMES.length; i++) {
      long cpu0 = IngestBenchmark.cpuNanos();
      double seconds;
      long heap;
      try (IngestBenchmark.LiveHeap live = new IngestBenchmark.LiveHeap()) {
        seconds = switch (i) {
          case 0 -> bareSeconds(setup, input.files());
          case 1 -> predictSeconds(setup, input.folder(), out);
          default -> mergersSeconds(setup, input.folder(), out);
        };
        heap = live.maxMiB();
      }
      double cpuMs = (IngestBenchmark.cpuNanos() - cpu0) / 1e6 / n;
      FileTrees.delete(out);
      result[i] = new double[] {n / seconds, cpuMs, heap};
      log.printf("  %-8s %,7d images: %-14s %7.1f images/s (%6.2f ms CPU/image), live heap at most %,d MiB, load %s%n", label,
          n, NAMES[i], n / seconds, cpuMs, heap, LoadAverage.now());
    }
    return result;
  }

  /** The floor: each thread reads, preprocesses and predicts its share of the files, batch by batch. */
  private static double bareSeconds(Setup setup, List<Path> files) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(setup.threads());
    try {
      long start = System.nanoTime();
      List<Future<Long>> predicted = new ArrayList<>();
      int share = (files.size() + setup.threads() - 1) / setup.threads();
      for (int from = 0; from < files.size(); from += share) {
        List<Path> mine = files.subList(from, Math.min(files.size(), from + share));
        predicted.add(pool.submit(() -> predictAll(setup, mine)));
      }
      long total = 0;
      for (Future<Long> f : predicted) {
        total += f.get();
      }
      if (total != files.size()) {
        throw new IllegalStateException("the bare predictor predicted " + total + " of " + files.size() + " images");
      }
      return (System.nanoTime() - start) / 1e9;
    } finally {
      pool.shutdown();
    }
  }

  private static long predictAll(Setup setup, List<Path> files) {
    TestImageReader reader = new TestImageReader(setup.preprocessing());
    List<Galaxy> batch = new ArrayList<>(setup.batchSize());
    long predicted = 0;
    try (GalaxyPredictor predictor = GalaxyPredictor.load(setup.modelDir())) {
      for (Path file : files) {
        reader.read(file.toString(), batch::add, dead -> {
          throw new IllegalArgumentException("the benchmark needs usable images: " + dead);
        });
        if (batch.size() == setup.batchSize()) {
          predicted += predictor.predict(batch).length;
          batch.clear();
        }
      }
      if (!batch.isEmpty()) {
        predicted += predictor.predict(batch).length;
      }
    }
    return predicted;
  }

  private static double predictSeconds(Setup setup, Path images, Path out) {
    long start = System.nanoTime();
    runner(setup).run(PredictPipeline.build(runner(setup).options("predict"),
        new PredictPipeline.Inputs(model(setup), images, setup.preprocessing(), setup.batchSize(), out)));
    return (System.nanoTime() - start) / 1e9;
  }

  private static double mergersSeconds(Setup setup, Path images, Path out) {
    long start = System.nanoTime();
    runner(setup).run(MergersPipeline.test(runner(setup).options("mergers"),
        new MergersPipeline.Inputs(model(setup), images, setup.preprocessing(), setup.batchSize(), new MergersParams().threshold, 42, out)));
    return (System.nanoTime() - start) / 1e9;
  }

  private static ModelRef model(Setup setup) {
    return new ModelRef(setup.modelDir(), null);
  }

  private static PipelineRunner runner(Setup setup) {
    return new PipelineRunner(PipelineRunner.Kind.DIRECT, PipelineRunner.DEFAULT_FLINK_MASTER, setup.threads(), false);
  }
}
