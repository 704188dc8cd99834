package org.gzpipelines.run;

import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Flink configuration folder for the embedded runner ({@code --runner flink-local}) whose
 * {@code io.tmp.dirs} is a scratch folder of this process, removed when it exits. Flink's RPC
 * system extracts a 22 MB jar into {@code io.tmp.dirs} (by default {@code /tmp}) and removes it
 * only once its MiniCluster has closed, asynchronously after the job; gz often exits first, and
 * two of three embedded ingests left the jar behind. One folder serves every job of the process.
 */
final class EmbeddedFlinkScratch {

  private static Path confDir;

  private EmbeddedFlinkScratch() {}

  /** The configuration folder (made at the first call), for Beam's {@code flinkConfDir}. */
  static synchronized Path confDir() {
    if (confDir == null) {
      try {
        Path root = Files.createTempDirectory("gz-flink-local-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> remove(root), "gz-flink-local-cleanup"));
        Path tmp = Files.createDirectory(root.resolve("tmp"));
        Files.writeString(root.resolve("config.yaml"), "io.tmp.dirs: " + tmp + "\nweb.tmpdir: " + tmp + "\n");
        confDir = root;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create embedded Flink's scratch folder", e);
      }
    }
    return confDir;
  }

  /**
   * Removes the folder at exit. The JVM runs shutdown hooks concurrently, and Flink's own hooks
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
