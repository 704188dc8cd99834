package org.gzpipelines.cli;

import org.gzpipelines.run.StopSignals;
import org.gzpipelines.tracking.Provenance;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gz} command line: one subcommand per stage of the Galaxy Zoo workflow. */
@Command(
    name = "gz",
    mixinStandardHelpOptions = true,
    versionProvider = GzVersion.class,
    description = "Galaxy Zoo 2 morphology classifiers and merger fractions: Beam pipelines, DJL training, every run tracked in MLflow.",
    subcommands = {
      CommandLine.HelpCommand.class,
      SynthCommand.class,
      IngestCommand.class,
      ExploreCommand.class,
      TrainCommand.class,
      EvaluateCommand.class,
      CompareCommand.class,
      RunsCommand.class,
      MergersCommand.class,
      PredictCommand.class,
      RealSampleCommand.class,
      RunCommand.class,
      DemoCommand.class,
      SyncCommand.class,
      DeadLettersCommand.class,
      BenchCommand.class,
    })
public final class Gz {

  public static void main(String[] args) {
    Provenance.setCommandLine("gz " + String.join(" ", args));
    StopSignals.install();
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and tests. */
  public static CommandLine commandLine() {
    CommandLine gz = new CommandLine(new Gz())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(new UserErrorHandler());
    gz.setParameterExceptionHandler(new ArgumentErrors());
    SectionFlags.addTo(gz);
    return gz;
  }
}
