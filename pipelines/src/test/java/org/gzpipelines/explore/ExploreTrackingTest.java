package org.gzpipelines.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.gzpipelines.run.PipelineRunner;
import org.gzpipelines.run.StageContext;
import org.gzpipelines.tracking.MlflowTestServer;
import org.gzpipelines.tracking.RunSummary;
import org.gzpipelines.tracking.Tracking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The explore run lands in the tracking backend with its report: always in the local run folder
 * (offline mode), and on a real MLflow server (MLFLOW_TRACKING_URI's, or one the test starts).
 */
class ExploreTrackingTest {
  @TempDir Path tmp;

  private Explore.Outcome explore(Tracking tracking, String experiment) throws Exception {
    Path data = tmp.resolve("data");
    TestDatasets.writeIngested(data, 50, 15, 5, 0, 1, 16, 2, 3);
    ExploreParams params = ExplorePipelineTest.params(data, tmp.resolve("report"));
    return new StageContext(tracking, null, experiment, null, PipelineRunner.directChecked())
        .run("explore", "explore-test", params, new Explore());
  }

  @Test
  void offlineRunFolderHoldsParamsMetricsAndEveryReportFile() throws Exception {
    Path runs = tmp.resolve("runs");
    Explore.Outcome outcome;
    try (Tracking tracking = Tracking.offline(runs)) {
      outcome = explore(tracking, "gz-explore-test");
    }
    List<Path> folders;
    try (Stream<Path> list = Files.list(runs)) {
      folders = list.toList();
    }
    assertEquals(1, folders.size());
    Path run = folders.get(0);
    JsonNode meta = new ObjectMapper().readTree(run.resolve("meta.json").toFile());
    assertEquals("gz-explore-test", meta.get("experimentName").asText());
    assertEquals("FINISHED", meta.get("status").asText());
    // The data folder (in tmp, outside the working folder) is a param by name only; its path stays here.
    assertEquals(tmp.resolve("data").toString(), meta.path("localValues").path("params.explore.data").asText());
    JsonNode params = new ObjectMapper().readTree(run.resolve("params.json").toFile());
    assertEquals("42", params.get("explore.seed").asText());
    assertEquals(".../data", params.get("explore.data").asText());
    String metrics = Files.readString(run.resolve("metrics.csv"));
    assertTrue(metrics.contains("labelled_train"), metrics);
    assertTrue(metrics.contains("memory_reduction_factor"));
    assertFalse(metrics.contains("/"), "metric names without '/' (one chart panel each): " + metrics);
    Path artifacts = run.resolve("artifacts");
    assertTrue(Files.isRegularFile(artifacts.resolve("report.html")));
    assertTrue(Files.isRegularFile(artifacts.resolve("results.json")));
    for (String figure : outcome.report().figures().keySet()) {
      assertTrue(Files.isRegularFile(artifacts.resolve("figures/" + figure + ".png")), figure);
    }
  }

  @Test
  void runOnTheMlflowServerHasParamsMetricsAndEveryReportFile() throws Exception {
    String uri = MlflowTestServer.shared();
    Explore.Outcome outcome;
    try (Tracking tracking = Tracking.connect(uri.trim(), tmp.resolve("runs"))) {
      outcome = explore(tracking, "gz-explore-test");
    } // closing waits for everything sent in the background to reach the server
    String runId;
    try (Stream<Path> list = Files.list(tmp.resolve("runs"))) {
      runId = list.findFirst().orElseThrow().getFileName().toString();
    }
    try (Tracking query = Tracking.connect(uri.trim(), tmp.resolve("query-runs"))) {
      RunSummary run = query.getRun(runId);
      assertEquals("FINISHED", run.status());
      assertEquals("42", run.params().get("explore.seed"));
      assertEquals(".../data", run.params().get("explore.data"), "no path of this machine on the server");
      assertEquals(50.0, run.latestMetrics().get("labelled_train"));
    }
    Set<String> listed = new HashSet<>(listArtifacts(uri.trim(), runId, ""));
    assertTrue(listed.contains("report.html"), listed.toString());
    assertTrue(listed.contains("results.json"), listed.toString());
    Set<String> figures = new HashSet<>(listArtifacts(uri.trim(), runId, "figures"));
    for (String figure : outcome.report().figures().keySet()) {
      assertTrue(figures.contains("figures/" + figure + ".png"), figures.toString());
    }
  }

  /** The server's own artifact listing (REST), independent of the client under test. */
  static List<String> listArtifacts(String uri, String runId, String path) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(uri
        + "/api/2.0/mlflow/artifacts/list?run_id=" + runId + "&path=" + URLEncoder.encode(path, StandardCharsets.UTF_8)))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    JsonNode files = new ObjectMapper().readTree(response.body()).path("files");
    return files.findValuesAsText("path");
  }
}
