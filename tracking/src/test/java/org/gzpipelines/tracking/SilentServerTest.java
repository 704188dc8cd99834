package org.gzpipelines.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection: a "server" that accepts connections and never answers (a hung process). The
 * run must not hang: requests time out and the run carries on locally.
 */
class SilentServerTest {
  @TempDir Path tmp;

  @Test
  void aServerThatNeverAnswersDoesNotHangTheRun() throws Exception {
    List<Socket> held = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(silent.accept()); // read nothing, answer nothing
                  }
                } catch (IOException closed) {
                  // the test is over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      String uri = "http://127.0.0.1:" + silent.getLocalPort();
      assertTimeoutPreemptively(
          Duration.ofSeconds(60),
          () -> {
            try (Tracking tracking = Tracking.connect(uri, tmp.resolve("runs"), 1500)) {
              TrackedRun run = tracking.startRun("silent", "r");
              for (int step = 0; step < 100; step++) {
                run.logMetric("loss", step, step);
              }
              run.end(RunStatus.FINISHED);
              LocalRunFolder folder = LocalRunFolder.open(run.localDir());
              assertEquals(100, folder.readMetrics().size());
              assertEquals("FINISHED", folder.readMeta().status);
              assertFalse(folder.readMeta().synced);
            }
          });
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
