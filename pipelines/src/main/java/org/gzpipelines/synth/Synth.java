package org.gzpipelines.synth;

import java.nio.file.Path;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.run.PipelineRunner;
import org.gzpipelines.run.Stage;
import org.gzpipelines.tracking.TrackedRun;

/** The synth stage: writes the dataset, logs its truth (true merger fractions) to the run. */
public final class Synth implements Stage<SynthParams, SyntheticDataset.Result> {

  /** A mistyped --compare-real stops the stage before it generates (minutes), not after. */
  @Override
  public void check(SynthParams params) throws Exception {
    if (params.compareReal != null) {
      RealismComparison.images(Path.of(params.compareReal), RealismComparison.REAL_FIX);
    }
  }

  @Override
  public SyntheticDataset.Result run(SynthParams params, TrackedRun run, PipelineRunner runner) throws Exception {
    long start = System.nanoTime();
    SyntheticDataset.Result result;
    try {
      result = SyntheticDataset.generate(params.options(), Path.of(params.out),
          line -> System.err.println("gz synth: " + line));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    DatasetTruth truth = result.truth();
    run.logMetric("true_merger_fraction", truth.training().trueMergerFraction(), 0);
    if (truth.test() != null) {
      run.logMetric("true_merger_fraction_test", truth.test().trueMergerFraction(), 0);
    }
    run.logMetric("seconds", seconds, 0);
    run.logArtifact(result.truthJson(), "");
    if (params.compareReal != null) {
      CompareReal.report(result.imagesDir(), new CompareReal.Params(params.out, params.compareReal), run);
    }
    System.out.printf("wrote %d labelled images to %s and labels to %s%n", params.count, result.imagesDir(),
        result.labelsCsv());
    result.testDir().ifPresent(d -> System.out.printf("wrote %d test images to %s%n", params.testCount, d));
    result.archives().forEach(a -> System.out.println("wrote " + a));
    System.out.printf("truth (merger fractions: labelled %.4f%s) in %s%n", truth.training().trueMergerFraction(),
        truth.test() == null ? "" : String.format(", test %.4f", truth.test().trueMergerFraction()), result.truthJson());
    System.out.printf("done in %.1f s%n", seconds);
    return result;
  }
}
