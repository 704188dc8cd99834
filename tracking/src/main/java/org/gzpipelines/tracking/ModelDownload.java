package org.gzpipelines.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.gzpipelines.files.FileTrees;

/**
 * Fetches a model by its MLflow URI into a cache folder, through the server's artifact proxy (the
 * Java client's download helpers run the Python {@code mlflow} command). Registered versions and
 * finished runs do not change, so a model already in the cache is not fetched again.
 *
 * <ul>
 *   <li>{@code models:/<name>/<version>}: the registered version's files, into {@code
 *       <cache>/models/<name>/<version>/};
 *   <li>{@code runs:/<run id>/<path>}: the run's artifact folder, into {@code
 *       <cache>/runs/<run id>/<path>/}.
 * </ul>
 */
final class ModelDownload {
  private static final Pattern MODELS = Pattern.compile("models:/([^/]+)/(\\d+)/?");
  private static final Pattern RUNS = Pattern.compile("runs:/([0-9a-zA-Z]+)/(.+?)/?");

  private ModelDownload() {}

  static boolean isModelUri(String s) {
    return s.startsWith("models:/") || s.startsWith("runs:/");
  }

  static DownloadedModel download(MlflowRemote remote, String modelUri, Path cache) {
    Matcher models = MODELS.matcher(modelUri);
    Matcher runs = RUNS.matcher(modelUri);
    String runId;
    String artifactUri;
    Path target;
    if (models.matches()) {
      String query = "name=" + encode(models.group(1)) + "&version=" + models.group(2);
      JsonNode version = remote.getJson("/api/2.0/mlflow/model-versions/get?" + query, "get model version " + modelUri)
          .path("model_version");
      runId = version.path("run_id").asText(null);
      artifactUri = remote.getJson("/api/2.0/mlflow/model-versions/get-download-uri?" + query,
          "get-download-uri " + modelUri).path("artifact_uri").asText();
      target = cache.resolve("models").resolve(encode(models.group(1))).resolve(models.group(2));
    } else if (runs.matches()) {
      runId = runs.group(1);
      String path = runs.group(2);
      if (Stream.of(path.split("/")).anyMatch(s -> s.equals("..") || s.equals("."))) {
        throw new TrackingException(modelUri + ": no '.' or '..' in the artifact path");
      }
      artifactUri = remote.getRun(runId).getInfo().getArtifactUri() + "/" + path;
      target = cache.resolve("runs").resolve(runId).resolve(path);
    } else {
      throw new TrackingException(modelUri + " is not a model URI: give models:/<registered name>/<version> or"
          + " runs:/<run id>/<artifact folder>, e.g. runs:/<run id>/best-model");
    }
    if (!Files.isDirectory(target)) {
      fetch(remote, modelUri, artifactUri, target);
    }
    return new DownloadedModel(target, runId);
  }

  /** Downloads into a temporary sibling, then renames it: the cache never holds half a model. */
  private static void fetch(MlflowRemote remote, String modelUri, String artifactUri, Path target) {
    List<String> files = remote.listArtifacts(artifactUri, "");
    if (files.isEmpty()) {
      throw new TrackingException(modelUri + " holds no files on " + remote.uri() + " (" + artifactUri + ")");
    }
    Path tmp = target.resolveSibling(target.getFileName() + ".download");
    try {
      FileTrees.delete(tmp);
      for (String f : files) {
        remote.downloadArtifact(artifactUri, f, tmp.resolve(f));
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new TrackingException("cannot write the download of " + modelUri + " to " + target + ": " + e, e);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
