package org.gzpipelines.flink;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A job that failed because its cluster went away (stopped or lost mid-run) says so and how to go
 * on, instead of pointing at the web UI of a cluster that no longer answers.
 */
class FlinkJobFailureMessageTest {

  @Test
  void aJobWhoseClusterStoppedSaysToStartItAgainAndRerun() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort(); // closed again below: nothing answers there
    }
    FlinkClusterRun run = new FlinkClusterRun(FlinkRestClient.forMaster("127.0.0.1:" + port),
        new PrintStream(OutputStream.nullOutputStream()), Duration.ofSeconds(5));
    RuntimeException cause = new RuntimeException("job failed", new ConnectException("Connection refused"));

    String message = run.failure(cause, "gz-ingest-test", Optional.empty()).getMessage();

    assertTrue(message.contains("Connection refused"), message);
    assertTrue(message.contains("no longer answers: start it again with infra/flink/start.sh, then run the same command"
        + " again"), message);
    assertFalse(message.contains("web UI"), message);
  }
}
