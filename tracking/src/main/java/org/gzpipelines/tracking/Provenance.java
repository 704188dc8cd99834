package org.gzpipelines.tracking;

import com.google.common.hash.Hashing;
import com.google.common.io.ByteSource;
import com.google.common.io.MoreFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a run came from, as tags set on every run: code version (git commit, dirty flag), library
 * versions, host, command line; plus the hashes of the config and the data manifest, which only the
 * caller knows ({@link #tagConfig}, {@link #tagDataManifest}).
 *
 * <p>DJL and Beam are not dependencies of this module: their versions are read from whatever jar
 * on the classpath holds a known class, so a stage that has them on its classpath gets them tagged.
 */
public final class Provenance {
  public static final String GIT_COMMIT = "gz.git.commit";
  public static final String GIT_DIRTY = "gz.git.dirty";
  public static final String CONFIG_PATH = "gz.config.path";
  public static final String CONFIG_SHA256 = "gz.config.sha256";
  public static final String DATA_MANIFEST_SHA256 = "gz.data.manifest.sha256";
  public static final String JAVA_VERSION = "gz.java.version";
  public static final String DJL_VERSION = "gz.djl.version";
  public static final String BEAM_VERSION = "gz.beam.version";
  public static final String HOST = "gz.host";
  public static final String COMMAND = "gz.command";
  static final String UNKNOWN = "unknown";

  private static volatile String commandLine;
  private static volatile Map<String, String> cached;

  private Provenance() {}

  /**
   * The command line to record (the CLI sets its own arguments); default: sun.java.command. Runs
   * store it in its shared form: no credentials, no absolute paths ({@link TrackedRun}).
   */
  public static void setCommandLine(String command) {
    commandLine = command;
    cached = null;
  }

  /** The tags every run gets at start. Computed once per process (git is not re-run per run). */
  public static Map<String, String> tags() {
    Map<String, String> tags = cached;
    if (tags == null) {
      tags = new LinkedHashMap<>();
      String[] git = gitState();
      tags.put(GIT_COMMIT, git[0]);
      tags.put(GIT_DIRTY, git[1]);
      if (!UNKNOWN.equals(git[0])) {
        tags.put("mlflow.source.git.commit", git[0]);
      }
      tags.put(JAVA_VERSION, System.getProperty("java.vendor", "") + " " + Runtime.version());
      tags.put(DJL_VERSION, versionOf("ai.djl.engine.Engine"));
      tags.put(BEAM_VERSION, versionOf("org.apache.beam.sdk.Pipeline"));
      tags.put(HOST, hostName());
      String command = commandLine != null ? commandLine : System.getProperty("sun.java.command", UNKNOWN);
      tags.put(COMMAND, command.length() > 5000 ? command.substring(0, 5000) + "..." : command);
      tags.put("mlflow.source.type", "LOCAL");
      tags.put("mlflow.source.name", sourceName(command));
      tags.put("mlflow.user", System.getProperty("user.name", UNKNOWN));
      cached = tags = Map.copyOf(tags);
    }
    return tags;
  }

  /** sha256 of a file's bytes, lower-case hex. */
  /**
   * What MLflow's runs table shows as a run's Source (Python puts the script there): the gz verb
   * that made it ({@code gz train}), or the program that called gz's classes (e.g. a test runner).
   */
  static String sourceName(String command) {
    String[] words = command.strip().split("\\s+", 3);
    return words.length > 1 && words[0].equals("gz") ? "gz " + words[1] : words[0];
  }

  public static String sha256(Path file) {
    try {
      return MoreFiles.asByteSource(file).hash(Hashing.sha256()).toString();
    } catch (IOException e) {
      throw new TrackingException("cannot hash " + file + ": " + e, e);
    }
  }

  /**
   * Tags the run with the config file it ran and the sha256 of the settings in effect ({@code
   * effective}: the file with its extends: merged and the command line's overrides applied), so
   * that equal hashes mean equal settings, whatever file or flags gave them.
   */
  public static void tagConfig(TrackedRun run, Path configFile, String effective) {
    run.setTag(CONFIG_PATH, configFile.toString());
    run.setTag(CONFIG_SHA256, sha256(effective));
  }

  /** Tags the run with the sha256 of the data manifest it read (which data it saw). */
  public static void tagDataManifest(TrackedRun run, Path manifest) {
    run.setTag(DATA_MANIFEST_SHA256, sha256(manifest));
  }

  /** sha256 of a string, e.g. of a config that exists only in memory. */
  public static String sha256(String text) {
    try {
      return ByteSource.wrap(text.getBytes(StandardCharsets.UTF_8)).hash(Hashing.sha256()).toString();
    } catch (IOException e) {
      throw new IllegalStateException(e); // cannot happen for an in-memory source
    }
  }

  /** {commit, dirty} of the working directory's git checkout, or "unknown" without git. */
  private static String[] gitState() {
    String commit = run("git", "rev-parse", "HEAD");
    if (commit == null || !commit.matches("[0-9a-f]{40}")) {
      return new String[] {UNKNOWN, UNKNOWN};
    }
    // Untracked files count: a config written for this run and not yet committed makes it dirty.
    String status = run("git", "status", "--porcelain", "--untracked-files=normal");
    return new String[] {commit, status == null ? UNKNOWN : String.valueOf(!status.isEmpty())};
  }

  private static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
      p.getOutputStream().close();
      p.getErrorStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return null;
      }
      return new String(out, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return null; // no git on this machine
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static final Pattern JAR_VERSION = Pattern.compile("-(\\d+(?:\\.\\d+)+[^/]*?)\\.jar$");

  /**
   * The version of the library holding a class: its jar manifest's Implementation-Version or
   * Specification-Version, else the version in the jar's file name (Maven repository layout); "absent" when it is not on the
   * classpath.
   */
  static String versionOf(String className) {
    Class<?> c;
    try {
      c = Class.forName(className, false, Provenance.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return "absent";
    }
    Package pkg = c.getPackage();
    if (pkg != null && pkg.getImplementationVersion() != null) {
      return pkg.getImplementationVersion();
    }
    if (pkg != null && pkg.getSpecificationVersion() != null) {
      return pkg.getSpecificationVersion();
    }
    CodeSource source = c.getProtectionDomain().getCodeSource();
    URL location = source == null ? null : source.getLocation();
    if (location != null) {
      Matcher m = JAR_VERSION.matcher(location.getPath());
      if (m.find()) {
        return m.group(1);
      }
    }
    return UNKNOWN;
  }

  /** This machine's name (the {@code gz.host} tag; ingest's staging folders record it with their owner). */
  public static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      String env = System.getenv("HOSTNAME");
      return env == null ? UNKNOWN : env;
    }
  }
}
