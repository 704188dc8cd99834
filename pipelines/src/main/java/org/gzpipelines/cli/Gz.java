package org.gzpipelines.cli;

import org.gzpipelines.tracking.Provenance;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gz} command line: one subcommand per stage of the Galaxy Zoo workflow. */
@Command(
    name = "gz",
    mixinStandardHelpOptions = true,
    versionProvider = GzVersion.class,
    description = {
      "Galaxy Zoo 2 pipelines: ingest images and vote fractions into Avro shards, explore them,",
      "train DJL classifiers, evaluate them and measure the merger fraction; every run tracked in MLflow."
    },
    subcommands = {
      CommandLine.HelpCommand.class,
      SynthCommand.class,
      IngestCommand.class,
      TrainCommand.class,
      ExploreCommand.class,
      SyncCommand.class,
      EvaluateCommand.class,
      MergersCommand.class,
      CompareCommand.class,
      RunCommand.class,
      DemoCommand.class,
      BenchCommand.class,
    })
public final class Gz {

  public static void main(String[] args) {
    Provenance.setCommandLine("gz " + String.join(" ", args));
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new Gz())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(new UserErrorHandler());
  }
}
