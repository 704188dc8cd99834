package org.gzpipelines.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.gzpipelines.errors.UserError;
import org.junit.jupiter.api.Test;

/**
 * A cluster of another Flink minor version is refused before a job is built for it. Fault
 * injection: a stand-in REST endpoint answers /overview as a Flink 1.18 JobManager does (the real
 * cluster of the other tests runs the runner's own version).
 */
class FlinkVersionCheckTest {

  private static FlinkRestClient.Overview checkAgainst(String flinkVersion) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    byte[] body = ("{\"taskmanagers\":2,\"slots-total\":4,\"slots-available\":4,\"jobs-running\":0,"
        + "\"flink-version\":\"" + flinkVersion + "\",\"flink-commit\":\"abc\"}").getBytes(StandardCharsets.UTF_8);
    server.createContext("/overview", exchange -> {
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    try {
      return new FlinkClusterRun(FlinkRestClient.forMaster("127.0.0.1:" + server.getAddress().getPort()),
          new PrintStream(OutputStream.nullOutputStream()), Duration.ofSeconds(5)).checkReachable();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aClusterOfAnotherFlinkMinorVersionIsRefusedWithWhatToRun() {
    String runner = EnvironmentInformation.getVersion();
    UserError e = assertThrows(UserError.class, () -> checkAgainst("1.18.1"));
    assertTrue(e.getMessage().contains("runs Flink 1.18.1, and gz submits jobs with Beam's runner for Flink "
        + runner.substring(0, runner.lastIndexOf('.')) + " (" + runner + ")"), e.getMessage());
    assertTrue(e.getMessage().contains("infra/flink/start.sh"), e.getMessage());
  }

  @Test
  void aClusterOfTheRunnersMinorVersionIsTaken() throws Exception {
    String runner = EnvironmentInformation.getVersion();
    String otherPatch = runner.substring(0, runner.lastIndexOf('.')) + ".9";
    assertEquals(4, checkAgainst(otherPatch).slotsTotal());
  }
}
