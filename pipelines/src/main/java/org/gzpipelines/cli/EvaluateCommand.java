package org.gzpipelines.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gzpipelines.evaluate.EvaluateOptions;
import org.gzpipelines.evaluate.Evaluation;
import org.gzpipelines.evaluate.ModelRef;
import org.gzpipelines.tracking.TrackedRun;
import org.gzpipelines.tracking.Tracking;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** gz evaluate: batch inference over the validation (and test) split, RMSE, figures, all tracked. */
@Command(name = "evaluate",
    header = "Predict the validation split: RMSE, scatter plots, extreme galaxies.", mixinStandardHelpOptions = true,
    description = {"Run a trained model over an ingested folder's validation (and test) split on Beam:",
        "prediction records, overall and per-label validation RMSE, the true-vs-predicted scatter of all",
        "37 labels and the most extreme galaxies per label, logged as the child run \"evaluate\" of the",
        "model's training run."})
public final class EvaluateCommand implements Callable<Integer> {

  @Option(names = "--model", required = true,
      description = "The model: a gz train run folder, a run id under GZ_RUNS_DIR, or a saved model folder.")
  String model;

  @Option(names = "--data", required = true, description = "Ingested data folder (holds val/, maybe test/).")
  Path data;

  @Option(names = "--tta", description = "Test-time augmentation: average over the 8 rotations/flips (8x slower).")
  boolean tta;

  @Option(names = "--labels", split = ",",
      defaultValue = "smooth,star or artifact,edge-on: yes,odd: ring,odd: lens or arc,arms: 2,odd: merger",
      description = "Labels to show the extreme galaxies of (ids or names, comma-separated; default: ${DEFAULT-VALUE}).")
  java.util.List<String> labels;

  @Option(names = "--output", description = "Output folder (default: evaluations/<evaluate run id>).")
  Path output;

  @Option(names = "--batch-size", defaultValue = "64", description = "Images per inference batch (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Mixin RunnerMixin runner;

  @Override
  public Integer call() {
    try (Tracking tracking = Tracking.fromEnvironment()) {
      ModelRef ref = ModelRef.resolve(model, tracking.runsDir());
      TrackedRun run = StageRuns.start(tracking, ref, "evaluate");
      EvaluateOptions o = runner.options(EvaluateOptions.class);
      o.setModelDir(ref.modelDir().toString());
      o.setModelRunId(ref.label());
      o.setData(data.toString());
      o.setOutput((output != null ? output : Path.of("evaluations", run.runId())).toAbsolutePath().toString());
      o.setTta(tta);
      o.setBatchSize(batchSize);
      o.setExtremeLabels(String.join(",", labels));
      Evaluation.Result r = Evaluation.run(o, run);
      System.out.printf(Locale.ROOT, "evaluated %s: %,d predictions in %.1f s (%.0f images/s)%n", ref.label(),
          r.predictions(), r.seconds(), r.imagesPerSecond());
      System.out.printf(Locale.ROOT, "validation RMSE %.5f over %,d galaxies%n", r.rmse().rmse(), r.rmse().galaxies());
      if (r.rmseWithoutTta() != null) {
        System.out.printf(Locale.ROOT, "without TTA %.5f: TTA changes the RMSE by %+.5f%n", r.rmseWithoutTta().rmse(),
            r.rmse().rmse() - r.rmseWithoutTta().rmse());
      }
      System.out.println("outputs: " + r.output() + "; run " + r.runId() + " (" + run.localDir() + ")");
      return 0;
    }
  }
}
