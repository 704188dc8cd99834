package org.gzpipelines.ingest;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gzpipelines.cli.Gz;
import org.gzpipelines.cli.IngestCommand;
import picocli.CommandLine;

/** Runs ingest the way {@code gz ingest} does, but returns the {@link Ingest.Result}. */
final class IngestRuns {
  private IngestRuns() {}

  /** What {@code gz ingest} printed alongside the result. */
  record Run(Ingest.Result result, String output) {}

  static Run ingest(Path images, Path labels, Path out, String... extraArgs) throws Exception {
    List<String> args = new ArrayList<>(List.of("ingest", "--images", images.toString(), "--out", out.toString()));
    if (labels != null) {
      args.addAll(List.of("--labels", labels.toString()));
    }
    args.addAll(List.of(extraArgs));
    CommandLine.ParseResult parsed = Gz.commandLine().parseArgs(args.toArray(String[]::new));
    IngestCommand command = (IngestCommand) parsed.subcommand().commandSpec().userObject();
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    Ingest.Result result = new Ingest(new PrintStream(text, true)).ingest(command.params(), command.runner());
    return new Run(result, text.toString());
  }

  /** Runs {@code gz} as a user would and returns exit code + stderr. */
  static Cli cli(String... args) {
    CommandLine gz = Gz.commandLine();
    java.io.StringWriter err = new java.io.StringWriter();
    gz.setErr(new java.io.PrintWriter(err, true));
    int code = gz.execute(args);
    return new Cli(code, err.toString());
  }

  record Cli(int exitCode, String stderr) {}
}
