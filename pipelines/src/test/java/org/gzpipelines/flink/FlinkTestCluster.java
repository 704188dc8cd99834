package org.gzpipelines.flink;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real standalone Flink cluster the cluster tests submit to: the one at $GZ_FLINK_MASTER
 * (started by .ci/run with infra/flink/start.sh; its state folder is $GZ_FLINK_HOME or
 * .cache/flink), or, when that is unset, one this JVM starts with infra/flink/start.sh on free
 * ports under pipelines/target/flink-cluster and stops when the test JVM exits.
 */
final class FlinkTestCluster {

  static final String ENV_MASTER = "GZ_FLINK_MASTER";
  private static final int TASKMANAGERS = 2;
  private static FlinkTestCluster instance;

  final Path root;
  /** The cluster's state folder (run/*.pid, log/), as start.sh's GZ_FLINK_HOME. */
  final Path home;
  final String master;
  final FlinkRestClient rest;
  /** What start.sh printed when {@link #startPrivate} started this cluster. */
  String startOutput = "";

  private FlinkTestCluster(Path root, Path home, String master) {
    this.root = root;
    this.home = home;
    this.master = master;
    this.rest = FlinkRestClient.forMaster(master);
  }

  static synchronized FlinkTestCluster get() throws Exception {
    if (instance == null) {
      Path root = repositoryRoot();
      String master = System.getenv(ENV_MASTER);
      if (master != null && !master.isBlank()) {
        String home = System.getenv("GZ_FLINK_HOME");
        instance = new FlinkTestCluster(root, home != null ? Path.of(home) : root.resolve(".cache/flink"), master.trim());
      } else {
        instance = startOwn(root);
      }
    }
    return instance;
  }

  private static FlinkTestCluster startOwn(Path root) throws Exception {
    Path home = root.resolve("pipelines/target/flink-cluster");
    FlinkTestCluster cluster = new FlinkTestCluster(root, home, "127.0.0.1:" + freePort());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        cluster.script("stop.sh");
      } catch (Exception e) {
        System.err.println("could not stop the test's Flink cluster: " + e);
      }
    }));
    cluster.script("stop.sh"); // one left behind by a test JVM that was killed has other ports
    cluster.start();
    return cluster;
  }

  /**
   * A cluster of one test's own, not the shared one: state under pipelines/target/{@code name}, free
   * ports, started with {@code start.sh} and {@code startArgs} (e.g. --taskmanagers 1 --slots 2).
   * The caller stops it with {@link #stop}.
   */
  static FlinkTestCluster startPrivate(String name, String... startArgs) throws Exception {
    Path root = repositoryRoot();
    FlinkTestCluster cluster = new FlinkTestCluster(root, root.resolve("pipelines/target").resolve(name),
        "127.0.0.1:" + freePort());
    cluster.script("stop.sh"); // one left by a killed test JVM
    List<String> args = new ArrayList<>(List.of(startArgs));
    args.addAll(List.of("--port", cluster.master.substring(cluster.master.lastIndexOf(':') + 1),
        "--rpc-port", String.valueOf(freePort())));
    cluster.startOutput = cluster.script("start.sh", args.toArray(String[]::new));
    return cluster;
  }

  /** Stops the cluster with stop.sh. */
  void stop() throws Exception {
    script("stop.sh");
  }

  /** Starts the cluster or, when it runs, brings back any TaskManager that died. */
  void start() throws Exception {
    String port = master.substring(master.lastIndexOf(':') + 1);
    script("start.sh", "--taskmanagers", String.valueOf(TASKMANAGERS), "--port", port, "--rpc-port", String.valueOf(freePort()));
  }

  /** The PID of TaskManager {@code i} (1-based) as start.sh recorded it. */
  long taskManagerPid(int i) throws IOException {
    Path pidFile = home.resolve("run/taskmanager-" + i + ".pid");
    if (!Files.exists(pidFile)) {
      throw new IllegalStateException("no " + pidFile + ": the cluster at " + master
          + " was not started by infra/flink/start.sh with GZ_FLINK_HOME=" + home + ", so its TaskManagers cannot be killed");
    }
    return Long.parseLong(Files.readString(pidFile).trim());
  }

  /** Waits until a job matching {@code which} has all its tasks' first instances RUNNING. */
  String awaitRunningJob(java.util.function.Predicate<FlinkRestClient.Job> which, int minRunningTasks, java.time.Duration timeout)
      throws Exception {
    java.time.Instant deadline = java.time.Instant.now().plus(timeout);
    while (java.time.Instant.now().isBefore(deadline)) {
      for (FlinkRestClient.Job j : rest.jobs()) {
        if (which.test(j) && j.state().equals("RUNNING") && rest.runningTasks(j.id()) >= minRunningTasks) {
          return j.id();
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no matching job was running on " + master + " within " + timeout);
  }

  /** Kills TaskManager {@code i} with SIGKILL (no goodbye to the JobManager) and waits until it is gone. */
  void killTaskManager(int i) throws Exception {
    ProcessHandle taskManager = ProcessHandle.of(taskManagerPid(i))
        .orElseThrow(() -> new IllegalStateException("TaskManager " + i + " is not running"));
    taskManager.destroyForcibly();
    taskManager.onExit().get(30, TimeUnit.SECONDS);
  }

  /** The job jar, built with Maven the first time a cluster test needs it. */
  Path jobJar() throws Exception {
    try {
      return JobJar.locate();
    } catch (RuntimeException missingOrStale) {
      run(List.of("mvn", "-B", "-q", "-f", root.resolve("pom.xml").toString(), "-pl", "pipelines", "-am",
          "package", "-Pflink-jar", "-DskipTests"), 900);
      return JobJar.locate();
    }
  }

  private String script(String name, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(root.resolve("infra/flink/" + name).toString()));
    command.addAll(List.of(args));
    return run(command, 300);
  }

  private String run(List<String> command, int timeoutSeconds) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("GZ_FLINK_HOME", home.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
    }
    System.err.print(out);
    return out;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("infra/flink/start.sh"))) {
        return p;
      }
    }
    throw new IllegalStateException("infra/flink/start.sh not found above " + Path.of("").toAbsolutePath());
  }
}
