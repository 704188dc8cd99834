package org.gzpipelines.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.gzpipelines.errors.UserError;

/**
 * A run id shortened like a git hash: the first 8 or more hex digits of the id of one run folder
 * under the runs directory. Every run gz starts has a folder there (it logs locally first), so the
 * runs of this machine are the ones a short id can name; a run only on the server needs its full id.
 */
public final class ShortRunIds {

  /** Two runs share their first 8 digits once in 4 billion pairs, and 8 are quick to type. */
  public static final int MIN_DIGITS = 8;

  /** Shorter than a full id (32 hex digits), which needs no expanding. */
  private static final Pattern SHORT = Pattern.compile("[0-9a-f]{" + MIN_DIGITS + ",31}");

  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");

  private ShortRunIds() {}

  /**
   * The full id of the one run folder under {@code runsDir} whose id starts with {@code arg}; else
   * {@code arg} itself (not a short id, or no run starts with it), so the caller's own error for an
   * unknown run stands.
   *
   * @throws UserError when several runs start with it, listing them
   */
  public static String expand(String given, Path runsDir) {
    // MLflow writes ids in lower case; one copied in upper case names the same run.
    String arg = HEX.matcher(given).matches() ? given.toLowerCase(Locale.ROOT) : given;
    if (!SHORT.matcher(arg).matches() || !Files.isDirectory(runsDir)) {
      return arg;
    }
    List<Path> matches;
    try (Stream<Path> list = Files.list(runsDir)) {
      matches = list.filter(p -> p.getFileName().toString().startsWith(arg) && LocalRunFolder.isRunFolder(p))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the runs in " + runsDir, e);
    }
    if (matches.size() > 1) {
      throw new UserError("run id " + arg + " is ambiguous: " + matches.size() + " runs under " + runsDir
          + " start with it; give more of its digits:\n" + matches.stream().map(ShortRunIds::describe)
          .collect(Collectors.joining("\n")));
    }
    return matches.isEmpty() ? arg : matches.get(0).getFileName().toString();
  }

  /**
   * Why {@code arg}, which named no run, may look like an id and still name none, for the caller's
   * error: too few digits, or no local run starting with them; empty when it is no short id.
   */
  public static String hint(String arg, Path runsDir) {
    if (!HEX.matcher(arg).matches() || arg.length() >= 32) {
      return "";
    }
    return arg.length() < MIN_DIGITS
        ? " (a shortened run id needs at least " + MIN_DIGITS + " of its digits)"
        : " (no run folder under " + runsDir + " starts with " + arg + "; a run only on the MLflow server needs its full id)";
  }

  /** A candidate as the user can tell it apart: id, run name, experiment, start. */
  private static String describe(Path folder) {
    RunMeta meta = LocalRunFolder.open(folder).readMeta();
    return "  " + folder.getFileName() + "  '" + meta.runName + "' in experiment '" + meta.experimentName + "', "
        + "started " + Instant.ofEpochMilli(meta.startTime).truncatedTo(ChronoUnit.SECONDS);
  }
}
