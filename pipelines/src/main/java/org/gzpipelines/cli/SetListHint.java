package org.gzpipelines.cli;

import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/**
 * picocli's answer to a bad argument, then the fix for the one mistake it cannot name: a {@code
 * --set} list that the shell split at its spaces ({@code --set stages=[synth, ingest]} arrives as
 * {@code stages=[synth,} and {@code ingest]}, the second an unmatched argument).
 */
final class SetListHint implements IParameterExceptionHandler {

  private final IParameterExceptionHandler picocli;

  SetListHint(IParameterExceptionHandler picocli) {
    this.picocli = picocli;
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) throws Exception {
    int exit = picocli.handleParseException(e, args);
    for (int i = 1; i < args.length; i++) {
      String value = args[i - 1].equals("--set") ? args[i] : args[i].startsWith("--set=") ? args[i].substring(6) : null;
      if (value != null && value.contains("[") && !value.contains("]")) {
        StringBuilder list = new StringBuilder(value);
        for (int j = i + 1; j < args.length && list.indexOf("]") < 0; j++) {
          list.append(' ').append(args[j]);
        }
        e.getCommandLine().getErr().println("gz: the shell split a --set list at its spaces; quote it: --set '"
            + list + "'");
        break;
      }
    }
    return exit;
  }
}
