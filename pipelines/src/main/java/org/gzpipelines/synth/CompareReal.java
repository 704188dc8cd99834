package org.gzpipelines.synth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.run.PipelineRunner;
import org.gzpipelines.run.Stage;
import org.gzpipelines.tracking.TrackedRun;

/**
 * {@code gz synth --compare-only}: the {@link RealismComparison} of a synthetic set an earlier
 * {@code gz synth} wrote with real images, without generating it again (seconds, where generating
 * takes minutes). Also the comparison {@link Synth} makes after generating, so both write and log
 * the same files.
 */
public final class CompareReal implements Stage<CompareReal.Params, Path> {

  /**
   * Its parameters, the two {@code synth:} keys it reads: the others describe a set to generate, so
   * logging them would misdescribe the one compared (its own options are in its {@code truth.json},
   * logged instead).
   *
   * @param out the folder gz synth wrote
   * @param compareReal the folder of real JPEGs
   */
  public record Params(String out, String compareReal) {}

  @Override
  public void check(Params params) throws Exception {
    if (params.compareReal() == null) {
      throw new UserError("gz synth --compare-only: give --compare-real <folder of real Galaxy Zoo JPEGs> to compare "
          + params.out() + " with");
    }
    Path out = Path.of(params.out());
    // Generating into a folder that holds something else (an ingested set, say) is not the fix.
    boolean occupied;
    try (Stream<Path> entries = Files.isDirectory(out) ? Files.list(out) : Stream.empty()) {
      occupied = entries.findAny().isPresent();
    }
    RealismComparison.images(imagesOf(params.out()), "--out must name a folder an earlier gz synth wrote (it holds "
        + SynthOptions.KAGGLE_IMAGES_DIR + "/)" + (occupied ? "; " + params.out() + " holds something else"
        : "; to generate one there, run gz synth --out " + params.out() + " without --compare-only"));
    RealismComparison.images(Path.of(params.compareReal()), RealismComparison.REAL_FIX);
  }

  @Override
  public Path run(Params params, TrackedRun run, PipelineRunner runner) throws Exception {
    Path truth = Path.of(params.out()).resolve(DatasetTruth.FILE_NAME);
    if (Files.isRegularFile(truth)) {
      run.logArtifact(truth, "");
    }
    return report(imagesOf(params.out()), params, run);
  }

  /** Compares {@code syntheticImages} with the real images: prints the table, writes and logs {@code <out>/realism}. */
  static Path report(Path syntheticImages, Params params, TrackedRun run) throws Exception {
    RealismComparison realism = RealismComparison.of(syntheticImages, Path.of(params.compareReal()));
    System.out.print(realism.table());
    Path figure = realism.write(Path.of(params.out()).resolve("realism"));
    System.out.println("realism: " + figure.toAbsolutePath());
    run.logArtifact(figure.getParent(), "");
    return figure;
  }

  private static Path imagesOf(String out) {
    return Path.of(out).resolve(SynthOptions.KAGGLE_IMAGES_DIR);
  }
}
