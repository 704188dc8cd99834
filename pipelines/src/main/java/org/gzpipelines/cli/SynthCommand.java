package org.gzpipelines.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder: the synthetic generator lands with issue 2 (owned by the synth work). */
@Command(name = "synth", mixinStandardHelpOptions = true, description = "Generate a synthetic Galaxy Zoo dataset in the Kaggle layout.")
final class SynthCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UserError("not built yet");
  }
}
