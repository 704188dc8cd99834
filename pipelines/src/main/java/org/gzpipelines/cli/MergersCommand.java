package org.gzpipelines.cli;

import org.gzpipelines.mergers.MergerMeasurement;
import org.gzpipelines.mergers.MergersParams;
import picocli.CommandLine.Command;

/** gz mergers: the merger fraction of a set of test images, with its uncertainty, vs Darg et al. 2010 and Lotz et al. 2011. */
@Command(name = "mergers",
    header = "Merger fraction of unlabelled images, against Darg et al. 2010 and Lotz et al. 2011.", mixinStandardHelpOptions = true,
    description = "Run a trained model over test images on Beam and estimate their merger fraction "
        + "(volunteers' Class8.6 >= threshold; the model calls a merger at predicted Class8.6 >= decision): "
        + "raw, expected and validation-corrected, with bootstrap "
        + "intervals, at other decisions too, compared with Darg et al. 2010 (Galaxy Zoo 1 votes) and Lotz et al. 2011;"
        + " the test images are checked against the "
        + "validation split for a domain shift (which marks the corrected fraction unreliable), and the "
        + "top merger candidates are shown as image tiles and listed in a CSV; an HTML report and the "
        + "numbers are logged as the run \"mergers\". Raw images are prepared as the model's recorded preprocessing says: "
        + "the model folder is enough. Each flag overrides the key of the same name in the config's "
        + "mergers: section.")
final class MergersCommand extends ModelStageCommand<MergersParams, MergerMeasurement.Result> {
  MergersCommand() {
    super("mergers", MergersParams.class, model -> new MergerMeasurement(model, MergerMeasurement.Settings.defaults()));
  }
}
