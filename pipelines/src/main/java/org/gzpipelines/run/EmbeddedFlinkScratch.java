package org.gzpipelines.run;

import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ConfigurationUtils;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.gzpipelines.errors.UserError;

/**
 * A Flink configuration folder for the embedded runner ({@code --runner flink-local}) whose
 * {@code io.tmp.dirs} is a scratch folder of this process, removed when it exits. Flink's RPC
 * system extracts a 22 MB jar into {@code io.tmp.dirs} (by default {@code /tmp}) and removes it
 * only once its MiniCluster has closed, asynchronously after the job; gz often exits first, and
 * two of three embedded ingests left the jar behind. One folder serves every job of the process.
 *
 * <p>The configuration is the user's {@code FLINK_CONF_DIR} (which the embedded runner reads when
 * no folder is given, as Flink users expect) with the two temp folders added where it sets none.
 */
final class EmbeddedFlinkScratch {

  static final String FLINK_CONF_DIR_ENV = "FLINK_CONF_DIR";
  private static final String PREFIX = "gz-flink-local-";
  private static final String LOOPBACK = "127.0.0.1";
  private static final int REST_PORTS = 5;

  private static Folder folder;

  private EmbeddedFlinkScratch() {}

  /**
   * A scratch folder and what its configuration says.
   *
   * @param confDir the configuration folder, for Beam's {@code flinkConfDir}
   * @param restMasters host:port of each port the mini-cluster's REST endpoint may take: where
   *     Ctrl-C finds and cancels the running job by its name, since Beam's run() holds the job
   *     until it ends
   */
  record Folder(Path confDir, List<String> restMasters) {}

  /** This process's scratch folder (made at the first call). */
  static synchronized Folder folder() {
    if (folder == null) {
      folder = create(Path.of(System.getProperty("java.io.tmpdir")), System.getenv(FLINK_CONF_DIR_ENV));
    }
    return folder;
  }

  /**
   * Makes a scratch folder in {@code tempRoot}, removed at exit, with a configuration from {@code
   * userConfDir} (null: Flink's defaults); first removes those that killed gz processes left.
   */
  static Folder create(Path tempRoot, String userConfDir) {
    Configuration configuration = userConfiguration(userConfDir);
    removeOrphans(tempRoot);
    try {
      // The PID in the name tells a later gz whether the folder's owner still runs.
      Path root = Files.createTempDirectory(tempRoot, PREFIX + ProcessHandle.current().pid() + "-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> remove(root), "gz-flink-local-cleanup"));
      Path tmp = Files.createDirectory(root.resolve("tmp"));
      if (!configuration.contains(CoreOptions.TMP_DIRS)) {
        configuration.set(CoreOptions.TMP_DIRS, tmp.toString());
      }
      if (!configuration.contains(WebOptions.TMP_DIR)) {
        configuration.set(WebOptions.TMP_DIR, tmp.toString());
      }
      // The mini-cluster's servers (blob store, data exchange, REST) listen on every interface by
      // default, open to the network for the run's length though only this process talks to them.
      for (ConfigOption<String> host : List.of(JobManagerOptions.BIND_HOST, TaskManagerOptions.BIND_HOST,
          TaskManagerOptions.HOST, RestOptions.BIND_ADDRESS, RestOptions.ADDRESS)) {
        if (!configuration.contains(host)) {
          configuration.set(host, LOOPBACK);
        }
      }
      // REST ports known before the job starts (Flink's default, 8081, is a standalone cluster's):
      // a few from one that was free when chosen, as the mini-cluster of a stage's previous
      // pipeline may still hold one while it closes.
      if (!configuration.contains(RestOptions.PORT) && !configuration.contains(RestOptions.BIND_PORT)) {
        int port = freePort();
        configuration.set(RestOptions.BIND_PORT, port + "-" + (port + REST_PORTS - 1));
      }
      Files.write(root.resolve(GlobalConfiguration.FLINK_CONF_FILENAME),
          ConfigurationUtils.convertConfigToWritableLines(configuration, false));
      return new Folder(root, restMasters(configuration));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create embedded Flink's scratch folder in " + tempRoot, e);
    }
  }

  /** host:port of each REST port {@code configuration} lets the mini-cluster bind (a port, or a range "first-last"). */
  private static List<String> restMasters(Configuration configuration) {
    String host = configuration.get(RestOptions.ADDRESS);
    String ports = configuration.getOptional(RestOptions.BIND_PORT)
        .orElse(Integer.toString(configuration.get(RestOptions.PORT)));
    String[] range = ports.split("-", 2);
    int first = Integer.parseInt(range[0].trim());
    int last = range.length == 2 ? Integer.parseInt(range[1].trim()) : first;
    return IntStream.rangeClosed(first, last).mapToObj(port -> host + ":" + port).toList();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static Configuration userConfiguration(String userConfDir) {
    if (userConfDir == null || userConfDir.isBlank()) {
      return new Configuration();
    }
    try {
      return GlobalConfiguration.loadConfiguration(userConfDir);
    } catch (RuntimeException e) {
      // Flink's IllegalConfigurationException (no such folder), or a RuntimeException around the
      // YAML parser's error, whose multi-line reason gz gives on one line.
      Throwable reason = e.getCause() != null ? e.getCause() : e;
      String text = String.valueOf(reason.getMessage()).lines().map(String::strip).collect(Collectors.joining(" "));
      throw new UserError(FLINK_CONF_DIR_ENV + "=" + userConfDir + " cannot be read as a Flink configuration folder ("
          + text + "). Point it at a folder with a valid config.yaml (or flink-conf.yaml), or unset it to run"
          + " embedded Flink with its defaults.");
    }
  }

  /**
   * Removes the scratch folders of gz processes that no longer run: {@code kill -9} skips the
   * shutdown hook, and each such run would leave Flink's 22 MB jar behind for good.
   */
  private static void removeOrphans(Path tempRoot) {
    List<Path> folders;
    try (Stream<Path> entries = Files.list(tempRoot)) {
      folders = entries.filter(f -> f.getFileName().toString().startsWith(PREFIX)).toList();
    } catch (IOException e) {
      return; // an unreadable temp folder: nothing to tidy, and createTempDirectory says what is wrong
    }
    for (Path folder : folders) {
      String[] parts = folder.getFileName().toString().substring(PREFIX.length()).split("-", 2);
      if (parts.length == 2 && parts[0].matches("\\d{1,18}")
          && ProcessHandle.of(Long.parseLong(parts[0])).isEmpty()) {
        remove(folder);
      }
    }
  }

  /**
   * Removes a scratch folder. At exit the JVM runs shutdown hooks concurrently, and Flink's own hooks
   * (its blob store, its I/O manager) delete their folders in here at the same moment: a file that
   * vanishes mid-walk fails the walk and keeps the folder (one embedded ingest in six left it so).
   * Each retry starts after the other hooks have had a moment to finish.
   */
  private static void remove(Path root) {
    IOException failure = null;
    for (int attempt = 0; attempt < 20 && Files.exists(root); attempt++) {
      try {
        MoreFiles.deleteRecursively(root, RecursiveDeleteOption.ALLOW_INSECURE);
        return;
      } catch (IOException e) {
        failure = e;
        try {
          Thread.sleep(100);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    if (Files.exists(root)) {
      System.err.println("gz: could not remove embedded Flink's scratch folder " + root + " (remove it by hand): "
          + (failure == null ? "interrupted" : failure.getMessage()));
    }
  }
}
