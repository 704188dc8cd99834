package org.gzpipelines.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The answer to a bad argument: picocli's message and its "did you mean" suggestions, then where
 * the usage is, rather than the whole usage (60 lines for a stage, which push the one line that
 * matters off the screen); and the fix for the one mistake picocli cannot name: a {@code --set}
 * list that the shell split at its spaces ({@code --set stages=[synth, ingest]} arrives as {@code
 * stages=[synth,} and {@code ingest]}, the second an unmatched argument).
 */
final class ArgumentErrors implements IParameterExceptionHandler {

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println(cl.getColorScheme().errorText("gz: " + e.getMessage()));
    UnmatchedArgumentException.printSuggestions(e, err);
    for (int i = 1; i < args.length; i++) {
      String value = args[i - 1].equals("--set") ? args[i] : args[i].startsWith("--set=") ? args[i].substring(6) : null;
      if (value != null && value.contains("[") && !value.contains("]")) {
        StringBuilder list = new StringBuilder(value);
        for (int j = i + 1; j < args.length && list.indexOf("]") < 0; j++) {
          list.append(' ').append(args[j]);
        }
        err.println("gz: the shell split a --set list at its spaces; quote it: --set '" + list + "'");
        break;
      }
    }
    err.println("Usage: " + cl.getCommandSpec().qualifiedName() + " --help");
    return cl.getCommandSpec().exitCodeOnInvalidInput();
  }
}
