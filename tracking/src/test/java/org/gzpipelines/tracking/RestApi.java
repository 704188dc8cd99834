package org.gzpipelines.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The MLflow REST API called directly, so tests check the server's view, not the client's. */
final class RestApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String uri;
  private final HttpClient http = HttpClient.newHttpClient();

  RestApi(String uri) {
    this.uri = uri;
  }

  JsonNode get(String path, String... query) {
    StringBuilder url = new StringBuilder(uri).append(path);
    for (int i = 0; i < query.length; i += 2) {
      url.append(i == 0 ? '?' : '&')
          .append(query[i])
          .append('=')
          .append(URLEncoder.encode(query[i + 1], StandardCharsets.UTF_8));
    }
    try {
      HttpResponse<String> r =
          http.send(HttpRequest.newBuilder(URI.create(url.toString())).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new AssertionError("GET " + url + " -> " + r.statusCode() + " " + r.body());
      }
      return JSON.readTree(r.body());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("GET " + url + " failed", e);
    }
  }

  JsonNode post(String path, String json) {
    try {
      HttpResponse<String> r = http.send(
          HttpRequest.newBuilder(URI.create(uri + path)).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new AssertionError("POST " + path + " -> " + r.statusCode() + " " + r.body());
      }
      return JSON.readTree(r.body());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("POST " + path + " failed", e);
    }
  }

  byte[] download(String path) {
    try {
      HttpResponse<byte[]> r =
          http.send(HttpRequest.newBuilder(URI.create(uri + path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new AssertionError("GET " + path + " -> " + r.statusCode());
      }
      return r.body();
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("GET " + path + " failed", e);
    }
  }

  JsonNode run(String runId) {
    return get("/api/2.0/mlflow/runs/get", "run_id", runId).get("run");
  }

  Map<String, String> params(String runId) {
    return keyValues(run(runId).path("data").path("params"));
  }

  Map<String, String> tags(String runId) {
    return keyValues(run(runId).path("data").path("tags"));
  }

  /** The metric's history as the server returns it (key, value, step, timestamp), in step order. */
  List<MetricPoint> history(String runId, String key) {
    List<MetricPoint> points = new ArrayList<>();
    for (JsonNode m : get("/api/2.0/mlflow/metrics/get-history", "run_id", runId, "metric_key", key).path("metrics")) {
      points.add(new MetricPoint(m.get("key").asText(), m.get("value").asDouble(), m.path("step").asLong(), m.get("timestamp").asLong()));
    }
    points.sort((a, b) -> a.step() != b.step() ? Long.compare(a.step(), b.step()) : Long.compare(a.timestamp(), b.timestamp()));
    return points;
  }

  /** Every artifact file of the run (recursively), as path -> size. */
  Map<String, Long> artifacts(String runId) {
    Map<String, Long> files = new HashMap<>();
    listInto(runId, "", files);
    return files;
  }

  private void listInto(String runId, String path, Map<String, Long> files) {
    for (JsonNode f : get("/api/2.0/mlflow/artifacts/list", "run_id", runId, "path", path).path("files")) {
      if (f.path("is_dir").asBoolean()) {
        listInto(runId, f.get("path").asText(), files);
      } else {
        files.put(f.get("path").asText(), f.path("file_size").asLong());
      }
    }
  }

  /**
   * Downloads an artifact back through the server's artifact proxy: the run's artifact URI
   * mlflow-artifacts:/<exp>/<run>/artifacts maps to /api/2.0/mlflow-artifacts/artifacts/<exp>/<run>/artifacts.
   */
  byte[] artifact(String runId, String path) {
    String root = run(runId).path("info").get("artifact_uri").asText();
    if (!root.startsWith("mlflow-artifacts:/")) {
      throw new AssertionError("artifact URI " + root + " is not served by the server's proxy");
    }
    StringBuilder url = new StringBuilder("/api/2.0/mlflow-artifacts/artifacts/").append(root.substring("mlflow-artifacts:/".length()));
    for (String segment : path.split("/")) {
      url.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return download(url.toString());
  }

  private static Map<String, String> keyValues(JsonNode array) {
    Map<String, String> map = new HashMap<>();
    for (JsonNode kv : array) {
      map.put(kv.get("key").asText(), kv.get("value").asText());
    }
    return map;
  }
}
