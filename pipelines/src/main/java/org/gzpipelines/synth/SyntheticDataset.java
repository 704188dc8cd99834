package org.gzpipelines.synth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.gzpipelines.files.FileTrees;
import org.gzpipelines.run.StageStopped;
import org.gzpipelines.run.StopSignals;

/**
 * Generates a synthetic Galaxy Zoo dataset in the Kaggle layout, with known truth:
 *
 * <pre>
 * outDir/images_training_rev1/&lt;GalaxyID&gt;.jpg   labelled images
 * outDir/training_solutions_rev1.csv           GalaxyID + 37 vote fractions
 * outDir/images_test_rev1/&lt;GalaxyID&gt;.jpg       unlabelled images (with a test count)
 * outDir/images_training_rev1.tar.gz, .zip ...  archives of the folders (on request)
 * outDir/truth.json                            options, true merger fractions, every galaxy's truth
 * </pre>
 *
 * <p>Typical use in a test: {@code SyntheticDataset.generate(SynthOptions.defaults().withCount(100).withSize(128), dir)}.
 * The same options (seed included) give the same bytes whatever the number of threads. Each
 * folder and file is written under a temporary name and renamed when complete; a re-run
 * replaces the previous output of {@code gz synth} in the same place.
 */
public final class SyntheticDataset {

  /** Files written, and the truth. */
  public record Result(Path imagesDir, Path labelsCsv, Optional<Path> testDir, List<Path> archives, Path truthJson,
      DatasetTruth truth) {}

  private static final int GALAXIES_PER_TASK = 32;
  private static final int PROGRESS_FROM = 500;
  private static final long TRAINING_SET = 1;
  private static final long TEST_SET = 2;
  /** In the output folder while gz synth writes it: a rerun after a stop or crash may overwrite it. */
  private static final String WRITING = ".gz-synth-writing";

  private SyntheticDataset() {}

  /** Generates quietly. */
  public static Result generate(SynthOptions options, Path outDir) throws IOException {
    return generate(options, outDir, message -> { });
  }

  /** Generates, reporting progress lines (about every 10%) to {@code progress}. */
  public static Result generate(SynthOptions options, Path outDir, Consumer<String> progress) throws IOException {
    options.validate();
    prepare(outDir, options);
    long[][] ids = GalaxyIds.draw(options.seed(), options.count(), options.testCount());
    ExecutorService pool = Executors.newFixedThreadPool(options.effectiveThreads(), runnable -> {
      Thread t = new Thread(runnable, "gz-synth");
      t.setDaemon(true);
      return t;
    });
    try {
      Path imagesDir = outDir.resolve(SynthOptions.KAGGLE_IMAGES_DIR);
      GeneratedSet training = generateSet(pool, options, ids[0], options.mergerFraction(), TRAINING_SET,
          imagesDir, true, progress);
      Path labels = outDir.resolve(SynthOptions.KAGGLE_LABELS_FILE);
      Path labelsTemp = outDir.resolve("." + SynthOptions.KAGGLE_LABELS_FILE + ".partial");
      LabelsCsv.write(labelsTemp, ids[0], training.labels);
      move(labelsTemp, labels);

      Optional<Path> testDir = Optional.empty();
      GeneratedSet test = null;
      if (options.testCount() > 0) {
        testDir = Optional.of(outDir.resolve(SynthOptions.KAGGLE_TEST_DIR));
        test = generateSet(pool, options, ids[1], options.testMergerFraction(), TEST_SET, testDir.get(), false,
            progress);
      }

      List<Path> archives = new ArrayList<>();
      for (ArchiveFormat format : options.archives()) {
        progress.accept("packing " + SynthOptions.KAGGLE_IMAGES_DIR + format.extension());
        archives.add(Archives.pack(imagesDir, format));
        if (testDir.isPresent()) {
          progress.accept("packing " + SynthOptions.KAGGLE_TEST_DIR + format.extension());
          archives.add(Archives.pack(testDir.get(), format));
        }
      }

      DatasetTruth truth = new DatasetTruth("gz synth", options.seed(), options,
          training.truth(SynthOptions.KAGGLE_IMAGES_DIR, options.mergerFraction()),
          test == null ? null : test.truth(SynthOptions.KAGGLE_TEST_DIR, options.testMergerFraction()));
      Path truthFile = outDir.resolve(DatasetTruth.FILE_NAME);
      Path truthTemp = outDir.resolve("." + DatasetTruth.FILE_NAME + ".partial");
      truth.write(truthTemp);
      move(truthTemp, truthFile);
      Files.delete(outDir.resolve(WRITING));
      return new Result(imagesDir, labels, testDir, List.copyOf(archives), truthFile, truth);
    } finally {
      pool.shutdownNow();
    }
  }

  /** The galaxies, labels and merger flags of one set, in id order. */
  private record GeneratedSet(SyntheticGalaxy[] galaxies, float[][] labels, int mergers) {
    DatasetTruth.SetTruth truth(String directory, double requested) {
      int n = galaxies.length;
      return new DatasetTruth.SetTruth(directory, n, requested, mergers, n == 0 ? 0 : (double) mergers / n,
          Arrays.asList(galaxies));
    }
  }

  private static GeneratedSet generateSet(ExecutorService pool, SynthOptions options, long[] ids,
      double mergerFraction, long setSalt, Path dir, boolean labelled, Consumer<String> progress) throws IOException {
    int n = ids.length;
    boolean[] merger = chooseMergers(Seeds.mix(options.seed(), setSalt, 0xfeedL), n, mergerFraction);
    SyntheticGalaxy[] galaxies = new SyntheticGalaxy[n];
    float[][] labels = labelled ? new float[n][] : null;
    Path temp = dir.resolveSibling("." + dir.getFileName() + ".partial");
    FileTrees.delete(temp);
    Files.createDirectories(temp);
    String name = dir.getFileName().toString();
    AtomicInteger done = new AtomicInteger();
    AtomicInteger reported = new AtomicInteger();
    long start = System.nanoTime();
    ThreadLocal<Worker> workers = ThreadLocal.withInitial(() -> new Worker(options));
    List<Future<?>> tasks = new ArrayList<>();
    for (int from = 0; from < n; from += GALAXIES_PER_TASK) {
      int lo = from;
      int hi = Math.min(n, from + GALAXIES_PER_TASK);
      tasks.add(pool.submit(() -> {
        Worker w = workers.get();
        for (int i = lo; i < hi; i++) {
          StopSignals.check("gz synth stopped while writing " + name + "; nothing of it was kept");
          long seed = Seeds.mix(options.seed(), setSalt, i);
          SyntheticGalaxy g = w.sampler.sample(ids[i], seed, merger[i]);
          galaxies[i] = g;
          if (labelled) {
            labels[i] = w.votes.votes(g);
          }
          try {
            Files.write(temp.resolve(ids[i] + ".jpg"), w.renderer.renderJpeg(g));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          int count = done.incrementAndGet();
          int tenth = (int) (10L * count / n);
          // Tenths of a set that takes seconds or more; a few dozen galaxies need no progress.
          if (n >= PROGRESS_FROM && tenth > reported.get() && reported.getAndSet(tenth) < tenth) {
            double seconds = (System.nanoTime() - start) / 1e9;
            progress.accept(String.format("%s: %d/%d images (%.0f/s)", name, count, n, count / seconds));
          }
        }
        return null;
      }));
    }
    for (Future<?> f : tasks) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while generating " + dir, e);
      } catch (ExecutionException e) {
        // No half-written set stays behind: the other tasks end, then their folder goes.
        pool.shutdownNow();
        awaitQuietly(pool);
        FileTrees.delete(temp);
        Throwable cause = e.getCause();
        if (cause instanceof StageStopped stopped) {
          throw stopped;
        }
        if (cause instanceof UncheckedIOException u) {
          throw u.getCause();
        }
        throw new IllegalStateException("generating " + dir + " failed", cause);
      }
    }
    FileTrees.delete(dir);
    move(temp, dir);
    int mergers = 0;
    for (boolean m : merger) {
      mergers += m ? 1 : 0;
    }
    return new GeneratedSet(galaxies, labels, mergers);
  }

  /** Per-thread generator state: the renderer reuses its buffers. */
  private static final class Worker {
    final MorphologySampler sampler = new MorphologySampler();
    final VoteFractionModel votes;
    final GalaxyRenderer renderer;

    Worker(SynthOptions options) {
      votes = new VoteFractionModel(options.noise());
      renderer = new GalaxyRenderer(options.size());
    }
  }

  /** Exactly round(fraction * n) mergers at seeded random positions. */
  static boolean[] chooseMergers(long seed, int n, double fraction) {
    int mergers = (int) Math.round(fraction * n);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom r = new SplittableRandom(seed);
    boolean[] merger = new boolean[n];
    for (int i = 0; i < mergers; i++) {
      int j = i + r.nextInt(n - i);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
      merger[order[i]] = true;
    }
    return merger;
  }

  private static void awaitQuietly(ExecutorService pool) {
    try {
      pool.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Checks the output folder and refuses to overwrite folders gz synth did not write: those of a
   * finished run have its truth.json, those of a stopped or crashed one its {@link #WRITING} marker.
   */
  private static void prepare(Path outDir, SynthOptions options) throws IOException {
    if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
      throw new IllegalArgumentException("--out " + outDir + " is a file, not a folder: give a folder path");
    }
    Files.createDirectories(outDir);
    boolean ours = Files.exists(outDir.resolve(DatasetTruth.FILE_NAME)) || Files.exists(outDir.resolve(WRITING));
    for (String name : List.of(SynthOptions.KAGGLE_IMAGES_DIR, SynthOptions.KAGGLE_TEST_DIR)) {
      Path dir = outDir.resolve(name);
      if (Files.exists(dir) && !ours && !isEmptyDir(dir)) {
        throw new IllegalArgumentException(outDir + " already holds " + name + " that gz synth did not write"
            + " (no " + DatasetTruth.FILE_NAME + "): choose another --out or remove it");
      }
    }
    if (ours && options.testCount() == 0) {
      // A previous run's test set would not match this run's truth.json.
      FileTrees.delete(outDir.resolve(SynthOptions.KAGGLE_TEST_DIR));
    }
    Files.writeString(outDir.resolve(WRITING), "gz synth is writing this folder; its truth.json comes last\n");
  }

  private static boolean isEmptyDir(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      FileTrees.delete(to);
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }
  }
}
