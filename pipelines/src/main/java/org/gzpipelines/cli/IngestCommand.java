package org.gzpipelines.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder: the ingest pipeline lands with issue 2 (owned by the ingest work). */
@Command(name = "ingest", mixinStandardHelpOptions = true, description = "Ingest Galaxy Zoo images and labels into sharded Avro files.")
final class IngestCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UserError("not built yet");
  }
}
