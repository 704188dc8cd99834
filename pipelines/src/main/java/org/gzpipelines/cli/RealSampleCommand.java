package org.gzpipelines.cli;

import java.util.concurrent.Callable;
import org.gzpipelines.evaluate.RealSample;
import org.gzpipelines.evaluate.RealSampleParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** gz real-sample: does a model trained on synthetic galaxies work on real ones? */
@Command(name = "real-sample",
    header = "Score a model on real Galaxy Zoo JPEGs: spiral AUC and merger fraction.",
    mixinStandardHelpOptions = true,
    description = "Run a trained model over real Galaxy Zoo JPEGs sorted into spirals/ and non_spirals/ and report "
        + "how well it ranks the spirals above the rest ('spiral: yes', 'features or disk': AUC on all images, on a "
        + "tune half and on a held-out report half split by GalaxyID, each with a 95%% interval) and the fraction "
        + "it calls mergers, logged as a child run of the model's training run. Each flag overrides the key of the "
        + "same name in the config's real-sample: section.")
final class RealSampleCommand implements Callable<Integer> {

  @Mixin ConfigFlags flags;

  @Override
  public Integer call() throws Exception {
    try (var call = flags.call("real-sample", RealSampleParams.class, null)) {
      call.context().runWithModel("real-sample", call.params(), RealSample::new);
    }
    return 0;
  }
}
