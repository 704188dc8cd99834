package org.gzpipelines.run;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) and SIGTERM as a request to stop at the next safe point, instead of the JVM's
 * default: shutdown hooks and exit wherever the program is, which ends runs FAILED, loses errors
 * and leaves temp files. The first signal runs the stop actions that the running stage
 * registered ({@link #onStop}: training stops after its batch, a pipeline is cancelled); the stage
 * then returns or throws {@link StageStopped} on its own thread, {@link StageContext} ends its run
 * KILLED and the command says how to continue. A second signal exits at once, as the JVM would.
 *
 * <p>Only {@code gz}'s main installs the handlers; in a JVM without them nothing is ever requested.
 */
public final class StopSignals {

  private static final String[] SIGNALS = {"INT", "TERM"};
  private static final AtomicReference<String> requested = new AtomicReference<>();
  private static final Set<Runnable> actions = ConcurrentHashMap.newKeySet();

  private StopSignals() {}

  /** Handles SIGINT and SIGTERM from now on (a JVM run with -Xrs keeps its defaults). */
  public static void install() {
    for (String name : SIGNALS) {
      try {
        Signal.handle(new Signal(name), StopSignals::received);
      } catch (IllegalArgumentException reservedByTheJvm) {
        // -Xrs: the JVM's own behaviour stays.
      }
    }
  }

  /** Runs on the JVM's signal thread: never a shutdown hook, so actions may take their time. */
  private static void received(Signal signal) {
    String name = "SIG" + signal.getName();
    if (!requested.compareAndSet(null, name)) {
      System.err.println("\ngz: " + name + " again: quitting at once (the run stays RUNNING until the next gz command or gz sync marks it KILLED)");
      Runtime.getRuntime().exit(128 + signal.getNumber());
      return;
    }
    System.err.println("\ngz: " + name + ": stopping at the next safe point (" + name + " again quits at once) ...");
    for (Runnable action : actions) {
      try {
        action.run();
      } catch (RuntimeException e) {
        System.err.println("gz: while stopping: " + e.getMessage());
      }
    }
  }

  /** The signal that asked to stop (SIGINT, SIGTERM), if one came. */
  public static Optional<String> requested() {
    return Optional.ofNullable(requested.get());
  }

  /** A safe point between units of work: throws {@link StageStopped} once a stop was requested. */
  public static void check(String what) {
    if (requested.get() != null) {
      throw new StageStopped(what, null);
    }
  }

  /**
   * Runs {@code action} when a stop is requested while the returned registration is open (at
   * once if one was requested already). It runs on the signal thread: it must only ask the work to
   * stop (set a flag, cancel a job), not wait for it.
   */
  public static Registration onStop(Runnable action) {
    actions.add(action);
    if (requested.get() != null) {
      action.run();
    }
    return () -> actions.remove(action);
  }

  /** An open {@link #onStop} registration. */
  @FunctionalInterface
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }
}
