package org.gzpipelines.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.ExperimentsPage;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow_project.apachehttp.client.config.RequestConfig;
import org.mlflow_project.apachehttp.impl.client.HttpClientBuilder;
import org.mlflow_project.google.protobuf.InvalidProtocolBufferException;
import org.mlflow_project.google.protobuf.util.JsonFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracking server as this module uses it: the MLflow Java client for runs, params, metrics and
 * tags, and java.net.http for artifacts, because the client's logArtifact shells out to a Python
 * {@code mlflow} CLI. Every failure becomes a {@link TrackingException} that names the server and
 * the request.
 */
final class MlflowRemote implements AutoCloseable {
  /** The server's limits for one log-batch request. */
  static final int MAX_METRICS_PER_BATCH = 1000;

  private static final int MAX_PARAMS_PER_BATCH = 100;
  private static final int MAX_TAGS_PER_BATCH = 100;
  private static final int HISTORY_PAGE = 25_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(MlflowRemote.class);
  /** How long one request may wait for the server's answer before the server counts as gone. */
  static final int DEFAULT_TIMEOUT_MS = 60_000;

  /** The server's URL without credentials: the only form that appears in messages. */
  private final String uri;
  private final Optional<String> authorization;
  private final MlflowClient client;
  private final HttpClient http;
  private final int timeoutMs;

  MlflowRemote(ServerAddress address, int timeoutMs) {
    this.uri = address.url();
    this.authorization = address.authorization();
    this.timeoutMs = timeoutMs;
    this.client = withTimeouts(new MlflowClient(address.hostCreds()), timeoutMs);
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(Math.min(timeoutMs, 10_000))).build();
  }

  /**
   * The MLflow client's HTTP client has no timeouts, so a server that accepts a request and never
   * answers would hang the run forever. The client offers no setting for it; its HTTP caller keeps
   * the Apache client in a field that is created lazily when null, so we place one with timeouts
   * there (reflection). If a future client version changes that, runs work as before, without
   * timeouts.
   */
  private static MlflowClient withTimeouts(MlflowClient client, int timeoutMs) {
    try {
      Field callerField = MlflowClient.class.getDeclaredField("httpCaller");
      callerField.setAccessible(true);
      Object caller = callerField.get(client);
      Field httpField = caller.getClass().getDeclaredField("httpClient");
      httpField.setAccessible(true);
      RequestConfig config =
          RequestConfig.custom()
              .setConnectTimeout(Math.min(timeoutMs, 10_000))
              .setConnectionRequestTimeout(Math.min(timeoutMs, 10_000))
              .setSocketTimeout(timeoutMs)
              .build();
      httpField.set(caller, HttpClientBuilder.create().setDefaultRequestConfig(config).build());
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("MLflow client requests run without timeouts: {}", e.toString());
    }
    return client;
  }

  String uri() {
    return uri;
  }

  /**
   * The experiment tag that marks an experiment as machine learning (the UI's
   * CUSTOM_MODEL_DEVELOPMENT kind) rather than GenAI. MLflow 3.17's UI still opens any experiment on
   * its GenAI overview while the browser's GenAI / Model training switch is on GenAI (its start), so
   * the links gz prints also set the switch ({@link Tracking#experimentPage}).
   */
  static final String EXPERIMENT_KIND = "mlflow.experimentKind";
  static final String MODEL_TRAINING = "custom_model_development";

  /** The id of the experiment with this name, created (as a model-training experiment) if missing. */
  String experimentId(String name) {
    Optional<String> found = findExperimentId(name);
    if (found.isPresent()) {
      return found.get();
    }
    try {
      String id = call("create-experiment " + name, () -> client.createExperiment(name));
      call("set-experiment-tag " + name, () -> {
        client.setExperimentTag(id, EXPERIMENT_KIND, MODEL_TRAINING);
        return null;
      });
      return id;
    } catch (TrackingException e) {
      // Another process may have created it in between.
      return findExperimentId(name).orElseThrow(() -> e);
    }
  }

  Optional<String> findExperimentId(String name) {
    if (name.contains("'")) { // not expressible in a filter string
      return call("get-experiment-by-name " + name, () -> client.getExperimentByName(name))
          .map(Service.Experiment::getExperimentId);
    }
    // A search, not get-experiment-by-name: the client retries (and logs) every 404 three times.
    ExperimentsPage page =
        call("search-experiments " + name, () -> client.searchExperiments("name = '" + name + "'"));
    for (Service.Experiment e : page.getItems()) {
      if (e.getName().equals(name)) {
        return Optional.of(e.getExperimentId());
      }
    }
    return Optional.empty();
  }

  Service.RunInfo createRun(String experimentId, String runName, long startTime, Map<String, String> tags) {
    Service.CreateRun.Builder request =
        Service.CreateRun.newBuilder()
            .setExperimentId(experimentId)
            .setRunName(runName)
            .setStartTime(startTime)
            .setUserId(System.getProperty("user.name", "unknown"));
    tags.forEach((k, v) -> request.addTags(Service.RunTag.newBuilder().setKey(k).setValue(v)));
    return call("create-run " + runName, () -> client.createRun(request.build()));
  }

  String experimentName(String experimentId) {
    return call("get-experiment " + experimentId, () -> client.getExperiment(experimentId).getName());
  }

  /** The run with this id; a server without it is a {@link TrackingException} that says so. */
  Service.Run getRun(String runId) {
    return findRun(runId).orElseThrow(() -> new TrackingException("the MLflow server at " + uri + " has no run " + runId));
  }

  /**
   * The run with this id, empty when the server has none. Over REST, not the client's getRun: the
   * client's HTTP caller sends a request up to three times on any error answer, a 404 too, with a
   * "Retrying" warning each time, and has no public setting for it (its constructor with a retry
   * count is package-private), so a mistyped id printed that noise before gz's own error.
   */
  Optional<Service.Run> findRun(String runId) {
    return sendJson("GET", "/api/2.0/mlflow/runs/get?run_id=" + encode(runId), null, "get-run " + runId,
        "RESOURCE_DOES_NOT_EXIST").map(answer -> run(answer.path("run"), "get-run " + runId));
  }

  /** A run of a REST answer in the client's protobuf form. */
  private Service.Run run(JsonNode json, String what) {
    Service.Run.Builder run = Service.Run.newBuilder();
    try {
      // As the client reads its answers: fields a newer server adds (MLflow 3's inputs, outputs) are skipped.
      JsonFormat.parser().ignoringUnknownFields().merge(json.toString(), run);
    } catch (InvalidProtocolBufferException e) {
      throw new TrackingException("MLflow server at " + uri + " sent an unreadable run for " + what + ": "
          + e.getMessage(), e);
    }
    return run.build();
  }

  /** Runs of an experiment matching an MLflow search filter ("" for all), newest first. */
  List<Service.Run> searchRuns(String experimentId, String filter) {
    return searchRuns(List.of(experimentId), filter, Integer.MAX_VALUE);
  }

  /**
   * The newest runs (at most {@code max}) of the experiments matching an MLflow search filter. Over
   * REST, as {@link #findRun}: a filter the server refuses is one error naming its reason, not
   * three "Retrying" warnings first.
   */
  List<Service.Run> searchRuns(List<String> experimentIds, String filter, int max) {
    List<Service.Run> runs = new ArrayList<>();
    String token = "";
    do {
      ObjectNode request = JSON.createObjectNode().put("filter", filter).put("max_results", Math.min(1000, max - runs.size()));
      experimentIds.forEach(request.putArray("experiment_ids")::add);
      request.putArray("order_by").add("attributes.start_time DESC");
      if (!token.isEmpty()) {
        request.put("page_token", token);
      }
      JsonNode page = sendJson("POST", "/api/2.0/mlflow/runs/search", request, "search-runs " + filter, null).orElseThrow();
      for (JsonNode r : page.path("runs")) {
        runs.add(run(r, "search-runs"));
      }
      token = page.path("next_page_token").asText("");
    } while (!token.isEmpty() && runs.size() < max);
    return runs;
  }

  /** Every active experiment's name by its id. */
  Map<String, String> experimentNames() {
    Map<String, String> names = new LinkedHashMap<>();
    String token = "";
    do {
      ObjectNode request = JSON.createObjectNode().put("max_results", 1000);
      if (!token.isEmpty()) {
        request.put("page_token", token);
      }
      JsonNode page = sendJson("POST", "/api/2.0/mlflow/experiments/search", request, "search-experiments", null)
          .orElseThrow();
      for (JsonNode e : page.path("experiments")) {
        names.put(e.path("experiment_id").asText(), e.path("name").asText());
      }
      token = page.path("next_page_token").asText("");
    } while (!token.isEmpty());
    return names;
  }

  /** Sends params, tags and metric points in as few log-batch requests as the server allows. */
  void logBatch(String runId, List<MetricPoint> metrics, Map<String, String> params, Map<String, String> tags) {
    List<Service.Param> p = new ArrayList<>();
    params.forEach((k, v) -> p.add(Service.Param.newBuilder().setKey(k).setValue(v).build()));
    List<Service.RunTag> t = new ArrayList<>();
    tags.forEach((k, v) -> t.add(Service.RunTag.newBuilder().setKey(k).setValue(v).build()));
    for (int i = 0; i < p.size(); i += MAX_PARAMS_PER_BATCH) {
      List<Service.Param> chunk = p.subList(i, Math.min(p.size(), i + MAX_PARAMS_PER_BATCH));
      call("log-batch (params)", () -> client.logBatch(runId, List.of(), chunk, List.of()));
    }
    for (int i = 0; i < t.size(); i += MAX_TAGS_PER_BATCH) {
      List<Service.RunTag> chunk = t.subList(i, Math.min(t.size(), i + MAX_TAGS_PER_BATCH));
      call("log-batch (tags)", () -> client.logBatch(runId, List.of(), List.of(), chunk));
    }
    for (int i = 0; i < metrics.size(); i += MAX_METRICS_PER_BATCH) {
      List<Service.Metric> chunk = new ArrayList<>();
      for (MetricPoint m : metrics.subList(i, Math.min(metrics.size(), i + MAX_METRICS_PER_BATCH))) {
        chunk.add(
            Service.Metric.newBuilder()
                .setKey(m.key())
                .setValue(m.value())
                .setStep(m.step())
                .setTimestamp(m.timestamp())
                .build());
      }
      call("log-batch (" + chunk.size() + " metric points)", () -> client.logBatch(runId, chunk, List.of(), List.of()));
    }
  }

  void setTerminated(String runId, RunStatus status, long endTime) {
    call(
        "update-run " + runId,
        () -> client.setTerminated(runId, Service.RunStatus.valueOf(status.name()), endTime));
  }

  /** Sets an ended run's status back to RUNNING (update-run), for a run that is continued. */
  void reopen(String runId) {
    String request = JSON.createObjectNode().put("run_id", runId).put("status", "RUNNING").toString();
    call("update-run " + runId + " (RUNNING)", () -> client.sendPost("runs/update", request));
  }

  /**
   * A metric's full history on the server, in step order. Read page by page over REST: the Java
   * client's getMetricHistory (2.17.2) throws UnsupportedOperationException as soon as a history
   * needs a second page (more than 25,000 points).
   */
  List<MetricPoint> metricHistory(String runId, String key) {
    List<MetricPoint> points = new ArrayList<>();
    String token = "";
    do {
      String query =
          "run_id=" + encode(runId) + "&metric_key=" + encode(key) + "&max_results=" + HISTORY_PAGE
              + (token.isEmpty() ? "" : "&page_token=" + encode(token));
      JsonNode page = getJson("/api/2.0/mlflow/metrics/get-history?" + query, "get-history " + key);
      for (JsonNode m : page.path("metrics")) {
        points.add(
            new MetricPoint(
                m.path("key").asText(key),
                metricValue(m.path("value")),
                m.path("step").asLong(0),
                m.path("timestamp").asLong(0)));
      }
      token = page.path("next_page_token").asText("");
    } while (!token.isEmpty());
    points.sort(
        (a, b) ->
            a.step() != b.step()
                ? Long.compare(a.step(), b.step())
                : Long.compare(a.timestamp(), b.timestamp()));
    return points;
  }

  /** The server writes NaN and infinities as JSON strings ("NaN", "Infinity", "-Infinity"). */
  private static double metricValue(JsonNode v) {
    return v.isNumber() ? v.asDouble() : Double.parseDouble(v.asText("0"));
  }

  JsonNode getJson(String pathAndQuery, String what) {
    return sendJson("GET", pathAndQuery, null, what, null).orElseThrow();
  }

  /**
   * A REST request for the endpoints the Java client lacks (MLflow 3's logged models, the model
   * registry's model_id), with a JSON body (null for none). An error answer is a {@link
   * TrackingException}, except one whose MLflow error_code is {@code tolerated}: then empty.
   */
  Optional<JsonNode> sendJson(String method, String pathAndQuery, JsonNode body, String what, String tolerated) {
    return sendJson(method, URI.create(uri + pathAndQuery), body, what, tolerated);
  }

  private Optional<JsonNode> sendJson(String method, URI url, JsonNode body, String what, String tolerated) {
    HttpRequest request =
        authorized(HttpRequest.newBuilder(url))
            .timeout(Duration.ofMillis(timeoutMs))
            .header("Content-Type", "application/json")
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    HttpResponse<String> response = send(request, what);
    if (response.statusCode() / 100 != 2) {
      if (tolerated != null && tolerated.equals(errorCode(response.body()))) {
        return Optional.empty();
      }
      throw new TrackingException(
          "MLflow server at " + uri + " answered " + response.statusCode() + " to " + what + ": "
              + errorMessage(response.body()));
    }
    try {
      return Optional.of(JSON.readTree(response.body()));
    } catch (IOException e) {
      throw new TrackingException("MLflow server at " + uri + " sent unreadable JSON for " + what + ": " + e, e);
    }
  }

  /**
   * Uploads one file through the server's artifact proxy: HTTP PUT to
   * {@code /api/2.0/mlflow-artifacts/artifacts/<path of the run's artifact URI>/<artifact path>},
   * the request MLflow's own HTTP artifact repository makes for {@code mlflow-artifacts:} URIs.
   */
  void uploadArtifact(String artifactUri, String artifactPath, Path file) {
    URI target = artifactUrl(artifactUri, artifactPath);
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new TrackingException("cannot read artifact " + file + ": " + e, e);
    }
    HttpRequest request;
    try {
      request =
          authorized(HttpRequest.newBuilder(target))
              // Generous: the request timeout plus a second per 10 MB, for a busy two-core machine.
              .timeout(Duration.ofMillis(timeoutMs + size / 10_000))
              .header("Content-Type", "application/octet-stream")
              .PUT(HttpRequest.BodyPublishers.ofFile(file))
              .build();
    } catch (IOException e) {
      throw new TrackingException("cannot read artifact " + file + ": " + e, e);
    }
    HttpResponse<String> response = send(request, "upload of artifact " + artifactPath);
    if (response.statusCode() / 100 != 2) {
      throw new TrackingException(
          "MLflow server at " + uri + " answered " + response.statusCode() + " to the upload of artifact "
              + artifactPath + " (" + file + "): " + errorMessage(response.body()));
    }
  }

  /** Downloads one file through the server's artifact proxy (HTTP GET of {@link #artifactUrl}). */
  void downloadArtifact(String artifactUri, String artifactPath, Path target) {
    HttpRequest request =
        authorized(HttpRequest.newBuilder(artifactUrl(artifactUri, artifactPath)))
            .timeout(Duration.ofMillis(timeoutMs * 10L)) // weights of a large network on a busy machine
            .GET()
            .build();
    String what = "download of artifact " + artifactPath;
    HttpResponse<Path> response;
    try {
      Files.createDirectories(target.getParent());
      response = http.send(request, HttpResponse.BodyHandlers.ofFile(target));
    } catch (IOException e) {
      throw TrackingException.unreachable(uri, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrackingException("interrupted during " + what, e);
    }
    if (response.statusCode() != 200) {
      throw new TrackingException("MLflow server at " + uri + " answered " + response.statusCode() + " to the " + what
          + " (" + artifactUri + ")");
    }
  }

  /**
   * Every file below {@code artifactPath} of an artifact root, recursively, as paths relative to
   * {@code artifactPath}: the proxy's listing ({@code GET .../mlflow-artifacts/artifacts?path=}).
   */
  List<String> listArtifacts(String artifactUri, String artifactPath) {
    List<String> files = new ArrayList<>();
    listInto(artifactUri, artifactPath, "", files);
    return files;
  }

  private void listInto(String artifactUri, String root, String relative, List<String> files) {
    String dir = root.isEmpty() ? relative : relative.isEmpty() ? root : root + "/" + relative;
    URI url = URI.create(proxyBase(artifactUri) + "/api/2.0/mlflow-artifacts/artifacts?path="
        + encode(proxyPath(artifactUri, dir)));
    JsonNode listing = sendJson("GET", url, null, "listing of artifacts " + dir, null).orElseThrow();
    for (JsonNode f : listing.path("files")) {
      String child = relative.isEmpty() ? f.path("path").asText() : relative + "/" + f.path("path").asText();
      if (f.path("is_dir").asBoolean()) {
        listInto(artifactUri, root, child, files);
      } else {
        files.add(child);
      }
    }
  }

  URI artifactUrl(String artifactUri, String artifactPath) {
    StringBuilder url = new StringBuilder(proxyBase(artifactUri)).append("/api/2.0/mlflow-artifacts/artifacts");
    for (String segment : proxyPath(artifactUri, artifactPath).split("/")) {
      if (!segment.isEmpty()) {
        url.append('/').append(encode(segment).replace("+", "%20"));
      }
    }
    return URI.create(url.toString());
  }

  /** The server that serves an artifact root: mlflow-artifacts:/... is this one, ...://host:port/... another. */
  private String proxyBase(String artifactUri) {
    URI parsed = proxied(artifactUri);
    return parsed.getHost() == null ? uri : URI.create(uri).getScheme() + "://" + parsed.getAuthority();
  }

  /** mlflow-artifacts:/<exp>/<run>/artifacts + a/b: "<exp>/<run>/artifacts/a/b", the proxy's path. */
  private static String proxyPath(String artifactUri, String artifactPath) {
    String path = (proxied(artifactUri).getPath() + "/" + artifactPath).replaceAll("/+", "/");
    return path.replaceAll("^/|/$", "");
  }

  private static URI proxied(String artifactUri) {
    URI parsed = URI.create(artifactUri);
    if (!"mlflow-artifacts".equals(parsed.getScheme())) {
      throw new TrackingException(
          "the artifacts live at " + artifactUri + ", which only the server can reach; start"
              + " the server with --serve-artifacts (infra/mlflow/start.sh does) so artifacts go"
              + " through its proxy");
    }
    return parsed;
  }

  /** Adds the server's credentials to a request this class makes without the MLflow client. */
  private HttpRequest.Builder authorized(HttpRequest.Builder request) {
    authorization.ifPresent(value -> request.header("Authorization", value));
    return request;
  }

  private HttpResponse<String> send(HttpRequest request, String what) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw TrackingException.unreachable(uri, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrackingException("interrupted during " + what, e);
    }
  }

  /** MLflow's error_code of an error answer (RESOURCE_ALREADY_EXISTS, ...), or "". */
  private static String errorCode(String body) {
    try {
      return JSON.readTree(body).path("error_code").asText("");
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static String errorMessage(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node.has("message")) {
        return node.get("message").asText();
      }
    } catch (IOException | RuntimeException ignored) {
      // not JSON: show the body as is
    }
    return body.length() > 500 ? body.substring(0, 500) + "..." : body;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private void call(String what, Runnable op) {
    call(
        what,
        () -> {
          op.run();
          return null;
        });
  }

  /** Runs a client call, turning the client's exceptions into messages that name the server. */
  private <T> T call(String what, Supplier<T> op) {
    try {
      return op.get();
    } catch (MlflowHttpException e) {
      throw new TrackingException(
          "MLflow server at " + uri + " answered " + e.getStatusCode() + " " + e.getReasonPhrase()
              + " to " + what + ": " + errorMessage(String.valueOf(e.getBodyMessage())),
          e);
    } catch (MlflowClientException e) {
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof IOException) {
          throw TrackingException.unreachable(uri, c);
        }
      }
      throw new TrackingException("MLflow client failed on " + what + " at " + uri + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
