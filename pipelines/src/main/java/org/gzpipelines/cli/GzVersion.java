package org.gzpipelines.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.IVersionProvider;

/** Prints the project version, the git commit of the checkout gz runs from, and the Java version. */
final class GzVersion implements IVersionProvider {
  @Override
  public String[] getVersion() throws IOException {
    Properties p = new Properties();
    try (InputStream in = GzVersion.class.getResourceAsStream("/gz-version.properties")) {
      if (in != null) {
        p.load(in);
      }
    }
    return new String[] {
      "gz " + p.getProperty("version", "unknown") + ", commit " + commit(),
      "Java " + System.getProperty("java.version"),
    };
  }

  /** The commit of the checkout in gz.home (set by the ./gz script), with "+ changes" when it is dirty. */
  private static String commit() {
    String home = System.getProperty("gz.home", ".");
    String head = git(home, "rev-parse", "--short=12", "HEAD");
    if (head == null) {
      return "unknown (not a git checkout)";
    }
    String status = git(home, "status", "--porcelain");
    return head + (status == null || status.isEmpty() ? "" : " + uncommitted changes");
  }

  private static String git(String dir, String... args) {
    try {
      String[] command = new String[args.length + 3];
      command[0] = "git";
      command[1] = "-C";
      command[2] = dir;
      System.arraycopy(args, 0, command, 3, args.length);
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null; // no git on this machine
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
