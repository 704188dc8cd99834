package org.gzpipelines.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The few calls of a Flink JobManager's REST API this project needs: is the cluster up, which jobs
 * run, do their tasks get slots, why did one fail, cancel one. Hand-written over {@link HttpClient}
 * because Flink's own RestClient needs flink-runtime's Netty setup and typed message headers for
 * what are a few requests of small JSON.
 */
public final class FlinkRestClient {

  /** What {@code GET /overview} says about the cluster. */
  public record Overview(String flinkVersion, int taskManagers, int slotsTotal, int slotsAvailable) {}

  /** One row of {@code GET /jobs/overview}. */
  public record Job(String id, String name, String state) {}

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();

  private FlinkRestClient(URI base) {
    this.base = base;
  }

  /** A client for the REST endpoint at {@code host:port} (an {@code http://} prefix is allowed). */
  public static FlinkRestClient forMaster(String master) {
    String hostPort = master.trim().replaceFirst("^https?://", "").replaceFirst("/+$", "");
    if (!hostPort.matches("[^:/\\s]+:\\d+")) {
      throw new IllegalArgumentException(
          "--flink-master '" + master + "' is not host:port of a Flink REST endpoint, e.g. 127.0.0.1:8081");
    }
    return new FlinkRestClient(URI.create("http://" + hostPort));
  }

  /** The web UI (and REST API) address, e.g. {@code http://127.0.0.1:8081}. */
  public URI webUi() {
    return base;
  }

  /** The web UI page of a running job. */
  public URI jobPage(String jobId) {
    return URI.create(base + "/#/job/running/" + jobId + "/overview");
  }

  /** The web UI page of a finished, failed or cancelled job (the UI routes those apart). */
  public URI completedJobPage(String jobId) {
    return URI.create(base + "/#/job/completed/" + jobId + "/overview");
  }

  public Overview overview() throws IOException {
    JsonNode o = get("/overview");
    return new Overview(
        o.path("flink-version").asText(),
        o.path("taskmanagers").asInt(),
        o.path("slots-total").asInt(),
        o.path("slots-available").asInt());
  }

  public List<Job> jobs() throws IOException {
    List<Job> jobs = new ArrayList<>();
    for (JsonNode j : get("/jobs/overview").path("jobs")) {
      jobs.add(new Job(j.path("jid").asText(), j.path("name").asText(), j.path("state").asText()));
    }
    return jobs;
  }

  /** The job the cluster lists under {@code name} (gz gives each job a unique one), if any. */
  public Optional<Job> job(String name) throws IOException {
    return jobs().stream().filter(j -> j.name().equals(name)).findFirst();
  }

  /** The TaskManager resource ids the cluster lists now. */
  public List<String> taskManagerIds() throws IOException {
    List<String> ids = new ArrayList<>();
    get("/taskmanagers").path("taskmanagers").forEach(tm -> ids.add(tm.path("id").asText()));
    return ids;
  }

  /** How many of the job's parallel task instances are RUNNING now. */
  public int runningTasks(String jobId) throws IOException {
    int running = 0;
    for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
      running += vertex.path("tasks").path("RUNNING").asInt();
    }
    return running;
  }

  /**
   * How many of the job's parallel task instances are in each execution state (CREATED,
   * SCHEDULED, RUNNING, ...), over all its vertices.
   */
  public Map<String, Integer> taskStates(String jobId) throws IOException {
    Map<String, Integer> states = new TreeMap<>();
    for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
      vertex.path("tasks").fields().forEachRemaining(e -> states.merge(e.getKey(), e.getValue().asInt(), Integer::sum));
    }
    return states;
  }

  /** Asks the cluster to cancel a job ({@code PATCH /jobs/<id>?mode=cancel}); returns once it accepted. */
  public void cancel(String jobId) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/jobs/" + jobId + "?mode=cancel")).timeout(TIMEOUT)
        .method("PATCH", HttpRequest.BodyPublishers.noBody()).build();
    HttpResponse<String> response = send(request);
    if (response.statusCode() / 100 != 2) {
      throw new IOException("PATCH " + request.uri() + " answered HTTP " + response.statusCode() + ": " + shortBody(response));
    }
  }

  /** The first line of every exception the job saw, oldest first (failed attempts included). */
  public List<String> exceptionHistory(String jobId) throws IOException {
    List<String> lines = new ArrayList<>();
    for (JsonNode e : get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries")) {
      lines.add(e.path("stacktrace").asText(e.path("exceptionName").asText()).lines().findFirst().orElse(""));
    }
    return lines;
  }

  private JsonNode get(String path) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET().build();
    HttpResponse<String> response = send(request);
    if (response.statusCode() != 200) {
      throw new IOException("GET " + request.uri() + " answered HTTP " + response.statusCode() + ": " + shortBody(response));
    }
    return JSON.readTree(response.body());
  }

  /**
   * An error answer for a one-line message: Flink's JSON errors as they are, another server's HTML
   * page (a wrong --flink-master) as what it is rather than its 14 lines.
   */
  private static String shortBody(HttpResponse<String> response) {
    String body = response.body() == null ? "" : response.body().strip();
    if (body.startsWith("<")) {
      return "an HTML page, not Flink's REST API: is --flink-master the host:port of a Flink JobManager's REST endpoint?";
    }
    String line = body.lines().findFirst().orElse("");
    return line.length() > 300 ? line.substring(0, 300) + " ..." : line;
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while calling " + request.uri(), e);
    }
  }
}
