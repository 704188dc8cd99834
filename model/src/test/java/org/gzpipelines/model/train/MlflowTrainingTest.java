package org.gzpipelines.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.gzpipelines.model.config.ExperimentConfigFile;
import org.gzpipelines.model.testing.SyntheticShards;
import org.gzpipelines.model.testing.TrainConfigs;
import org.gzpipelines.tracking.MetricPoint;
import org.gzpipelines.tracking.RunSummary;
import org.gzpipelines.tracking.Tracking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/** Against the real MLflow server CI starts (MLFLOW_TRACKING_URI): params, metric histories, artifacts. */
@EnabledIfEnvironmentVariable(named = "MLFLOW_TRACKING_URI", matches = "https?://.+")
class MlflowTrainingTest {

  @TempDir Path dir;

  @Test
  void aTrainingRunLandsInMlflowWithParamsCurvesAndArtifacts() throws Exception {
    String uri = System.getenv(Tracking.URI_ENV);
    Path data = new SyntheticShards(16).write(dir.resolve("data"), 300, 60, 5);
    ExperimentConfigFile config = TrainConfigs.write(dir, "mlflow-train", "gz-model-test", data, """
          custom-cnn: {filters: [8], dense: [16]}
          batch-size: 32
          max-images: 600
          eval-every: 200
        """);
    try (Tracking tracking = Tracking.connect(uri, dir.resolve("runs"))) {
      GalaxyTrainer.Result r = new GalaxyTrainer(config).console(null)
          .train(tracking.startRun(config.experimentName(), "mlflow-train"), null);

      RunSummary run = tracking.getRun(r.runId());
      assertEquals("FINISHED", run.status());
      assertEquals("custom-cnn", run.params().get("train.architecture"));
      assertEquals("200", run.params().get("train.eval-every"));
      assertEquals(Long.toString(r.parameters()), run.params().get("model.parameters"));
      assertEquals("300", run.params().get("data.train_images"));
      List<MetricPoint> val = tracking.metricHistory(r.runId(), "val_rmse");
      // Steps are images seen: the first evaluation at 224 (7 batches of 32 >= 200), the last at the end.
      assertEquals(3, val.size());
      assertEquals(224L, val.get(0).step());
      assertEquals(r.imagesSeen(), val.get(2).step());
      assertEquals(3, tracking.metricHistory(r.runId(), "train_rmse").size());
      // The training loss every 5 batches (the default log-every), against images seen: a curve, not 3 points.
      List<MetricPoint> loss = tracking.metricHistory(r.runId(), "train_loss");
      assertTrue(loss.size() >= 4, "train_loss points: " + loss.size());
      assertTrue(loss.get(loss.size() - 1).step() > loss.get(0).step());
      assertEquals(3, tracking.metricHistory(r.runId(), "epoch").size());

      // The tracking API has no artifact listing: ask the server's REST API directly.
      String root = list(uri, r.runId(), null);
      assertTrue(root.contains("\"history.csv\"") && root.contains("\"loss-curve.png\"") && root.contains("\"model\""), root);
      String model = list(uri, r.runId(), "model");
      assertTrue(model.contains("model/model-0000.params") && model.contains("model/model.json"), model);
    }
  }

  static String list(String uri, String runId, String path) throws Exception {
    String q = "run_id=" + runId + (path == null ? "" : "&path=" + URLEncoder.encode(path, StandardCharsets.UTF_8));
    HttpResponse<String> resp = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(uri + "/api/2.0/mlflow/artifacts/list?" + q)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, resp.statusCode(), resp.body());
    return resp.body();
  }
}
