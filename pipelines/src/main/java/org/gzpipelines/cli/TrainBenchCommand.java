package org.gzpipelines.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gzpipelines.bench.LoadAverage;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.files.FileTrees;
import org.gzpipelines.model.config.TrainConfig;
import org.gzpipelines.model.data.ShardSet;
import org.gzpipelines.model.train.TrainBenchmark;
import org.gzpipelines.model.train.TrainBenchmark.Throughput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gz bench train}: training and inference images/s of the custom CNN and ResNet-18 on
 * random data, and how long the batch reader takes to supply an epoch compared with training on it.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    header = "DJL training and inference images/s, peak RSS, and the batch reader's speed.",
    description = "Benchmark DJL training: images/s for custom-cnn and resnet18 at batch 64 and 128 on random "
        + "data, inference images/s, peak RSS, and the Avro batch reader's time for one epoch vs one training "
        + "epoch. Run it on an idle machine; results are appended to docs/BENCHMARKS.md (section Training).")
final class TrainBenchCommand implements Callable<Integer> {

  @Option(names = "--size", defaultValue = "69", description = "Image height and width (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--batches", split = ",", defaultValue = "64,128", description = "Batch sizes (default: ${DEFAULT-VALUE}).")
  List<Integer> batches;

  @Option(names = "--steps", defaultValue = "15", description = "Timed training steps per measurement (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--reader-images", defaultValue = "20000", description = "Images in the reader benchmark's shards (default: ${DEFAULT-VALUE}).")
  int readerImages;

  @Option(names = "--architectures", split = ",", defaultValue = "custom-cnn,resnet18",
      description = "Networks to time (default: ${DEFAULT-VALUE}).")
  List<String> architectures;

  @Option(names = "--report", defaultValue = "docs/BENCHMARKS.md", description = "Markdown file to append to (default: ${DEFAULT-VALUE}); '-' for none.")
  String report;

  @Override
  public Integer call() throws IOException {
    List<Throughput> results = new ArrayList<>();
    for (String arch : architectures) {
      TrainConfig c = new TrainConfig();
      c.architecture = switch (arch) {
        case "custom-cnn" -> TrainConfig.Architecture.CUSTOM_CNN;
        case "resnet18" -> TrainConfig.Architecture.RESNET18;
        case "resnet34" -> TrainConfig.Architecture.RESNET34;
        default -> throw new UserError("--architectures: unknown '" + arch + "' (custom-cnn, resnet18, resnet34)");
      };
      for (int b : batches) {
        results.add(print(TrainBenchmark.training(c, b, size, size, 3, steps)));
      }
      results.add(print(TrainBenchmark.inference(c, 128, size, size, 2, Math.max(5, steps))));
    }
    Path tmp = Files.createTempDirectory("gz-bench-reader");
    try {
      ShardSet shards = TrainBenchmark.writeRandomShards(tmp, readerImages, size, size, 8);
      results.add(print(TrainBenchmark.reader(shards, 64, false)));
      results.add(print(TrainBenchmark.reader(shards, 64, true)));
    } finally {
      FileTrees.delete(tmp);
    }
    String table = markdown(results);
    System.out.println();
    System.out.println(table);
    if (!"-".equals(report)) {
      append(Path.of(report), table);
      System.out.println("appended to " + report);
    }
    return 0;
  }

  private static Throughput print(Throughput t) {
    System.out.printf(Locale.ROOT, "%-22s batch %4d  %,12.0f images/s  peak RSS %,6.0f MiB%s%n",
        t.what(), t.batchSize(), t.imagesPerSecond(), t.peakRssMib(),
        Double.isNaN(t.imagesPerCpuSecond()) ? "" : String.format(Locale.ROOT, "  (%,.0f images per CPU-second)", t.imagesPerCpuSecond()));
    return t;
  }

  private String markdown(List<Throughput> results) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "### gz bench train, %s, %d cores, load average before start %s, input 3x%dx%d%n%n",
        LocalDate.now(), Runtime.getRuntime().availableProcessors(), LoadAverage.now(), size, size));
    sb.append("| measurement | batch | parameters | images/s | images per CPU-second | peak RSS (MiB) |\n|---|---:|---:|---:|---:|---:|\n");
    for (Throughput t : results) {
      sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %,.0f | %s | %,.0f |%n", t.what(), t.batchSize(),
          t.parameters() > 0 ? String.format(Locale.ROOT, "%,d", t.parameters()) : "", t.imagesPerSecond(),
          Double.isNaN(t.imagesPerCpuSecond()) ? "" : String.format(Locale.ROOT, "%,.0f", t.imagesPerCpuSecond()),
          t.peakRssMib()));
    }
    double reader = results.stream().filter(t -> t.what().equals("reader + to tensor")).mapToDouble(Throughput::imagesPerSecond).findFirst().orElse(0);
    double slowest = results.stream().filter(t -> t.what().startsWith("train")).mapToDouble(Throughput::imagesPerSecond).min().orElse(0);
    double fastest = results.stream().filter(t -> t.what().startsWith("train")).mapToDouble(Throughput::imagesPerSecond).max().orElse(0);
    if (reader > 0 && fastest > 0) {
      sb.append(String.format(Locale.ROOT, "%nFor a 61,578-image epoch the reader (with tensor conversion) needs %.1f s;"
              + " training needs %.0f s (fastest network above) to %.0f s (slowest).%n",
          61578 / reader, 61578 / fastest, 61578 / slowest));
    }
    return sb.toString();
  }

  private static void append(Path file, String table) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      String existing = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n";
      if (!existing.contains("\n## Training\n")) {
        existing += "\n## Training\n\nMeasured with `./gz bench train` (DJL 0.36.0, PyTorch 2.7.1 CPU).\n";
      }
      Files.writeString(file, existing + "\n" + table);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
