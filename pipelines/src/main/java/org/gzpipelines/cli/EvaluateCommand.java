package org.gzpipelines.cli;

import org.gzpipelines.evaluate.EvaluateParams;
import org.gzpipelines.evaluate.Evaluation;
import picocli.CommandLine.Command;

/** gz evaluate: batch inference over the validation (and test) split, RMSE, figures, all tracked. */
@Command(name = "evaluate",
    header = "Predict the validation split: RMSE, scatter plots, extreme galaxies.", mixinStandardHelpOptions = true,
    description = "Run a trained model over an ingested folder's validation (and test) split on Beam: "
        + "prediction records, overall and per-label validation RMSE, the true-vs-predicted scatter "
        + "of all 37 labels and the most extreme galaxies per label, logged as the child run "
        + "\"evaluate\" of the model's training run. Each flag overrides the key of the same name "
        + "in the config's evaluate: section.")
final class EvaluateCommand extends ModelStageCommand<EvaluateParams, Evaluation.Result> {
  EvaluateCommand() {
    super("evaluate", EvaluateParams.class, Evaluation::new);
  }
}
