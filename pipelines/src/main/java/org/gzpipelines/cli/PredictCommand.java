package org.gzpipelines.cli;

import org.gzpipelines.predict.PredictParams;
import org.gzpipelines.predict.Submission;
import picocli.CommandLine.Command;

/** gz predict: per-galaxy predictions of a folder of images, as a Kaggle submission CSV or Parquet. */
@Command(name = "predict",
    header = "Per-galaxy predictions of images as a Kaggle submission CSV (or Parquet).", mixinStandardHelpOptions = true,
    description = "Run a trained model over images on Beam and write one row per galaxy: GalaxyID and the 37 "
        + "predicted vote fractions Class1.1..Class11.6 in the competition's order, header included (the Kaggle "
        + "submission format), or the same columns in a Parquet file with --format parquet (its metadata names the "
        + "model and the run). Raw images are prepared as the model's recorded preprocessing says; images that "
        + "cannot be used are dead-lettered into <out name>.dead-letter/ beside the file. Logged as the run "
        + "\"predict\" with the file as artifact. Each flag overrides the key of the same name in the config's "
        + "predict: section.")
final class PredictCommand extends ModelStageCommand<PredictParams, Submission.Result> {
  PredictCommand() {
    super("predict", PredictParams.class, Submission::new);
  }
}
