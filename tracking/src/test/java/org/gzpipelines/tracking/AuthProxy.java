package org.gzpipelines.tracking;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A tracking server that demands credentials, as MLflow behind basic auth or a token gateway does:
 * an HTTP proxy in front of a real MLflow server that answers 401 to any request without the
 * expected Authorization header and forwards the others. It records every request it refused.
 */
final class AuthProxy implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final HttpClient http = HttpClient.newHttpClient();
  private final String target;
  private final String expectedAuthorization;
  private final List<String> refused = new CopyOnWriteArrayList<>();
  private final List<String> forwarded = new CopyOnWriteArrayList<>();

  AuthProxy(String target, String expectedAuthorization) throws IOException {
    this.target = target;
    this.expectedAuthorization = expectedAuthorization;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(pool);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** "METHOD path" of each request refused for missing or wrong credentials. */
  List<String> refused() {
    return refused;
  }

  /** "METHOD path" of each request passed on to the server. */
  List<String> forwarded() {
    return forwarded;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String what = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath();
    byte[] body = exchange.getRequestBody().readAllBytes();
    if (!expectedAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      refused.add(what);
      exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"mlflow\"");
      respond(exchange, 401, "You are not authenticated.".getBytes(), "text/plain");
      return;
    }
    forwarded.add(what);
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type != null) {
      request.header("Content-Type", type);
    }
    try {
      HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      respond(exchange, response.statusCode(), response.body(),
          response.headers().firstValue("Content-Type").orElse("application/json"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      respond(exchange, 502, new byte[0], "text/plain");
    }
  }

  private static void respond(HttpExchange exchange, int status, byte[] body, String type) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
