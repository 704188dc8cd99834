package org.gzpipelines.flink;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.gzpipelines.errors.UserError;
import org.junit.jupiter.api.Test;

/**
 * A --flink-master that names no Flink REST endpoint, each said for what it is in one line: a host
 * name that does not resolve, another web server, something that is not HTTP (Flink's RPC port).
 */
class FlinkMasterErrorsTest {

  private static String reason(String master) {
    UserError e = assertThrows(UserError.class,
        () -> new FlinkClusterRun(FlinkRestClient.forMaster(master), System.err, Duration.ofSeconds(5)).checkReachable());
    assertTrue(e.getMessage().lines().count() == 1, e.getMessage());
    return e.getMessage();
  }

  @Test
  void aHostNameThatDoesNotResolve() {
    String message = reason("nosuchhost.invalid:8081");
    assertTrue(message.contains("(the host name does not resolve)"), message);
  }

  @Test
  void anotherWebServersPage() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      byte[] page = "<!DOCTYPE html>\n<html>\n<body>\n<h1>Not Found</h1>\n</body>\n</html>\n".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(404, page.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(page);
      }
    });
    server.start();
    try {
      String message = reason("127.0.0.1:" + server.getAddress().getPort());
      assertTrue(message.contains("answered HTTP 404: an HTML page, not Flink's REST API"), message);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aPortThatIsNotHttp() throws Exception {
    try (ServerSocket rpc = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
      Thread closer = new Thread(() -> {
        while (!rpc.isClosed()) {
          try (Socket s = rpc.accept()) {
            // accepted and closed without a byte, as a port that speaks another protocol
          } catch (Exception e) {
            return;
          }
        }
      });
      closer.setDaemon(true);
      closer.start();
      String message = reason("127.0.0.1:" + rpc.getLocalPort());
      assertTrue(message.contains("not HTTP: Flink's RPC port (6123) rather than its REST port (8081)?"), message);
    }
  }
}
