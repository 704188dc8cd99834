package org.gzpipelines.explore;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.explore.ExploreFigures.BeforeAfter;
import org.gzpipelines.explore.ExploreResults.Image;
import org.gzpipelines.ingest.OriginalImages;
import org.gzpipelines.model.data.Manifest;
import org.gzpipelines.model.data.Preprocessing;
import org.gzpipelines.model.data.ShardCheck;
import org.gzpipelines.run.PipelineRunner;
import org.gzpipelines.run.Stage;
import org.gzpipelines.tracking.SharedPaths;
import org.gzpipelines.tracking.TrackedRun;

/**
 * The explore stage end to end: check the dataset, run the pipeline, add what only the driver
 * knows (file sizes, the manifest's original image size, memory arithmetic, a few original
 * images), render the report and log it.
 */
public final class Explore implements Stage<ExploreParams, Explore.Outcome> {
  /** Galaxy Zoo's Kaggle images, used when the manifest does not give the original size. */
  static final int KAGGLE_SIZE = 424;
  /** Galaxies shown before/after downsampling. */
  static final int BEFORE_AFTER = 4;

  /** What one explore run produced. */
  public record Outcome(ExploreResults results, ExploreReport.Rendered report, Path resultsFile) {}

  @Override
  public Path data(ExploreParams params) {
    return params.data == null ? null : params.dataDir();
  }

  @Override
  public Outcome run(ExploreParams params, TrackedRun run, PipelineRunner runner) throws IOException {
    long start = System.nanoTime();
    Outcome outcome = explore(params, runner);
    double seconds = (System.nanoTime() - start) / 1e9;
    ExploreTracking.log(run, params, outcome, seconds);
    System.out.printf("explore: %d records read in %.1f s; report: %s%n",
        outcome.results().counts.total(outcome.results().counts.records), seconds, outcome.report().html().toAbsolutePath());
    return outcome;
  }

  @Override
  public void check(ExploreParams params) throws IOException {
    if (params.data == null) {
      throw new UserError("give --data <ingested folder>, or --images <raw images> [--labels <csv>]");
    }
    checkData(params.dataDir());
  }

  /** Describes {@code params.data} into {@code params.reportDir()}, untracked. */
  public static Outcome explore(ExploreParams params, PipelineRunner runner) throws IOException {
    new Explore().check(params);
    Path data = params.dataDir();
    Path out = params.reportDir();
    // The report page is written last, whole (ExploreReport.render): removed first, a run killed
    // half way leaves no page beside the new results.json, rather than the last run's page.
    Files.deleteIfExists(out.resolve(ExploreReport.HTML));
    ExploreResults results;
    try {
      results = ExplorePipeline.run(params, runner);
    } catch (RuntimeException e) {
      throw ShardCheck.explain(e, data);
    }
    Optional<Manifest> manifest = Manifest.find(data);
    describeStorage(results, data, manifest);
    List<BeforeAfter> pairs = beforeAfter(results, data, manifest, params.images);
    Path resultsFile = out.resolve(ExplorePipeline.RESULTS_FILE);
    results.write(resultsFile);
    return new Outcome(results, ExploreReport.render(results, pairs, out), resultsFile);
  }

  /** Fails before the pipeline is built when {@code data} is not an ingest output or a file of it is damaged. */
  private static void checkData(Path data) {
    if (!Files.isDirectory(data)) {
      throw new UserError("--data " + data + " is not a folder; give the output folder of gz ingest"
          + " (it holds train/, val/ and manifest.json)");
    }
    ShardCheck.all(data);
  }

  /** Sizes on disk, the original image size and the memory needed for all images. */
  static void describeStorage(ExploreResults r, Path data, Optional<Manifest> manifest) throws IOException {
    for (String folder : new String[] {"train", "val", "test", "dead-letter"}) {
      r.bytesOnDisk.put("Avro shards " + folder + "/", folderBytes(data.resolve(folder)));
    }

    var s = r.shapes;
    Optional<Preprocessing> used = manifest.map(m -> m.parameters().preprocessing());
    // The crop is recorded whatever the input size; the before/after figure outlines it.
    s.cropSize = used.map(Preprocessing::cropSize).orElse(0);
    // expectedSize 0 means ingest accepted any size: the manifest then does not say it.
    Optional<Preprocessing> pre = used.filter(p -> p.expectedSize() > 0);
    if (pre.isPresent()) {
      s.rawWidth = pre.get().expectedSize();
      s.rawHeight = pre.get().expectedSize();
      s.rawChannels = pre.get().channelOrder().length();
      s.rawSizeSource = "from manifest.json";
    } else {
      s.rawWidth = KAGGLE_SIZE;
      s.rawHeight = KAGGLE_SIZE;
      s.rawChannels = 3;
      s.rawSizeSource = "Kaggle default; the manifest does not record it";
      r.notes.add("The original image size is not in " + data.resolve(Manifest.FILE_NAME)
          + "; assumed the Kaggle release's 424 x 424 x 3.");
    }
    var m = r.memory;
    m.images = r.counts.total(r.counts.originals);
    m.rawUint8Bytes = m.images * s.rawHeight * s.rawWidth * s.rawChannels;
    m.rawFloat32Bytes = 4 * m.rawUint8Bytes;
    m.downsampledUint8Bytes = s.originalRecordPixelBytes;
    m.downsampledFloat32Bytes = 4 * s.originalRecordPixelBytes;
    m.reductionFactor = m.downsampledUint8Bytes == 0 ? Double.NaN : (double) m.rawUint8Bytes / m.downsampledUint8Bytes;
  }

  private static long folderBytes(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.toString().endsWith(".avro")).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  /**
   * The first few sampled galaxies next to their original images, re-read from the raw input
   * explore was given ({@code images}, null when it was given ingested data) or else from the
   * input the manifest names; where that is not reachable, the ingested image with a note saying
   * why.
   */
  static List<BeforeAfter> beforeAfter(ExploreResults r, Path data, Optional<Manifest> manifest, String images) {
    List<Image> chosen = r.sample.subList(0, Math.min(BEFORE_AFTER, r.sample.size()));
    Set<Long> ids = new LinkedHashSet<>();
    chosen.forEach(i -> ids.add(i.galaxyId));
    Map<Long, BufferedImage> originals = Map.of();
    String note;
    Optional<String> named = manifest.map(Manifest::images);
    if (images == null && named.isEmpty()) {
      note = "manifest.json names no images input";
    } else {
      Path path = images != null ? Path.of(images) : manifestInput(named.get(), data);
      if (!Files.exists(path)) {
        note = images == null && named.get().startsWith(SharedPaths.ELIDED)
            ? "manifest.json names the images input by name only (" + named.get() + ": it was outside the folder"
                + " ingest ran in) and there is no " + path.getFileName() + " beside the dataset; explore the raw"
                + " input with --images to show them"
            : path + " does not exist here";
      } else {
        try {
          originals = OriginalImages.read(path, ids);
          note = "no <GalaxyID> image file (.jpg, .jpeg or .png) for them in " + path;
        } catch (IOException | RuntimeException e) {
          note = "cannot read " + path + ": " + e.getMessage();
        }
      }
    }
    List<BeforeAfter> pairs = new ArrayList<>();
    for (Image i : chosen) {
      BufferedImage original = originals.get(i.galaxyId);
      pairs.add(new BeforeAfter(original, i, original == null ? note : null));
    }
    if (pairs.stream().anyMatch(p -> p.original() == null)) {
      r.notes.add("Before/after: some originals are not shown (" + note + "); the ingested images are shown enlarged.");
    }
    return pairs;
  }

  /**
   * The images input a manifest names. Ingest writes it relative to the folder it ran in (the
   * project), so it is looked for from there, then inside the dataset folder (older manifests);
   * an input that was outside the project is named only by its file name ({@code .../name}), so it
   * is looked for beside the dataset, where inputs usually sit.
   */
  private static Path manifestInput(String named, Path data) {
    if (named.startsWith(SharedPaths.ELIDED)) {
      return data.toAbsolutePath().resolveSibling(named.substring(SharedPaths.ELIDED.length()));
    }
    Path path = Path.of(named);
    return path.isAbsolute() || Files.exists(path) ? path : data.resolve(named);
  }
}
