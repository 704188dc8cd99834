package org.gzpipelines.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * A {@code gz} command in a child JVM on this test JVM's classpath, as a user starts it, so that
 * real signals (kill -INT, -TERM, -9) reach a real {@code gz} process. Its stdout and stderr are
 * collected together.
 */
public final class GzProcess implements AutoCloseable {

  private final Process process;
  private final StringBuffer output = new StringBuffer();
  private final List<String> args;

  private GzProcess(Process process, List<String> args) {
    this.process = process;
    this.args = args;
    Thread reader = new Thread(() -> copy(process.getInputStream()), "gz-child-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code gz args...} in {@code workDir}, with {@code env} added to this JVM's environment. */
  public static GzProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
    return start(System.getProperty("java.class.path"), workDir, env, args);
  }

  /**
   * Starts {@code gz args...} as {@link #start} does, on this JVM's classpath less the jars whose
   * names start with {@code jarPrefix}: a test's compile-only jars (Hadoop) are not on a user's.
   */
  public static GzProcess startWithout(String jarPrefix, Path workDir, Map<String, String> env, String... args)
      throws IOException {
    String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !Path.of(entry).getFileName().toString().startsWith(jarPrefix))
        .collect(Collectors.joining(File.pathSeparator));
    return start(classpath, workDir, env, args);
  }

  private static GzProcess start(String classpath, Path workDir, Map<String, String> env, String... args) throws IOException {
    // A build started in the background of a shell without job control (`mvn test &` in a script,
    // CI under nohup) inherits SIGINT ignored, and a JVM keeps an ignored SIGINT ignored (as nohup
    // asks), so Ctrl-C would never reach gz. gz in a terminal starts with the default disposition:
    // restore it, as the terminal would, then exec the JVM in the same process.
    List<String> command = new ArrayList<>(List.of("python3", "-c",
        "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
            + "signal.signal(signal.SIGTERM, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-Dai.djl.offline=true", "-cp", classpath, "org.gzpipelines.cli.Gz"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(Map.of("DJL_OFFLINE", "true", "OPT_OUT_TRACKING", "true"));
    pb.environment().putAll(env);
    return new GzProcess(pb.start(), List.of(args));
  }

  public long pid() {
    return process.pid();
  }

  /** Sends a signal by name (INT, TERM, KILL) with kill(1), as a user's shell does. */
  public void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -" + name + " " + pid() + " failed");
    }
  }

  /** What the command printed so far, stdout and stderr interleaved. */
  public String output() {
    return output.toString();
  }

  /** Waits until {@code condition} holds; fails with the command's output if it does not in time or the command exits first. */
  public void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (!process.isAlive()) {
        throw new AssertionError(this + " exited " + process.exitValue() + " before " + what + ":\n" + output());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("no " + what + " within " + timeout + " from " + this + ":\n" + output());
      }
      Thread.sleep(100);
    }
  }

  /** Waits for the command to exit; returns its exit code. */
  public int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(this + " still runs after " + timeout + ":\n" + output());
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  @Override
  public String toString() {
    return "gz " + String.join(" ", args) + " (PID " + pid() + ")";
  }

  private void copy(InputStream in) {
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) > 0; ) {
        output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
