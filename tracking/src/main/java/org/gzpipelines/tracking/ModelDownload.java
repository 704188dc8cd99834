package org.gzpipelines.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.gzpipelines.files.FileTrees;

/**
 * Fetches a model by its MLflow URI into a cache folder, through the server's artifact proxy (the
 * Java client's download helpers run the Python {@code mlflow} command). Registered versions and
 * finished runs do not change, so a model already in the cache is not fetched again.
 *
 * <ul>
 *   <li>{@code models:/<name>/<version>}: the registered version's files, into {@code
 *       <cache>/models/<name>/<version>/}; {@code models:/<name>@<alias>} and {@code
 *       models:/<name>/latest} are first resolved to their version, so a moved alias fetches anew;
 *   <li>{@code models:/<model id>} ({@code m-...}, what the registry lists as a version's source):
 *       the logged model's files, into {@code <cache>/logged-models/<model id>/};
 *   <li>{@code runs:/<run id>/<path>}: the run's artifact folder, into {@code
 *       <cache>/runs/<run id>/<path>/}.
 * </ul>
 */
final class ModelDownload {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern MODELS = Pattern.compile("models:/([^/]+)/(\\d+)/?");
  private static final Pattern RUNS = Pattern.compile("runs:/([0-9a-zA-Z]+)/(.+?)/?");
  private static final Pattern ALIAS = Pattern.compile("models:/([^/@]+)@([^/]+?)/?");
  private static final Pattern LATEST = Pattern.compile("models:/([^/]+)/latest/?");
  private static final Pattern LOGGED = Pattern.compile("models:/(m-[0-9a-f]+)/?");
  /** Any URI of a registered model (by version, alias or latest): its name. */
  private static final Pattern REGISTERED = Pattern.compile("models:/([^/@]+)[/@].+");

  private ModelDownload() {}

  static boolean isModelUri(String s) {
    return s.startsWith("models:/") || s.startsWith("runs:/");
  }

  static DownloadedModel download(MlflowRemote remote, String given, Path cache) {
    String modelUri = versioned(remote, given);
    Matcher models = MODELS.matcher(modelUri);
    Matcher runs = RUNS.matcher(modelUri);
    Matcher logged = LOGGED.matcher(modelUri);
    String runId;
    String artifactUri;
    Path target;
    if (models.matches()) {
      String query = "name=" + encode(models.group(1)) + "&version=" + models.group(2);
      JsonNode version = remote.sendJson("GET", "/api/2.0/mlflow/model-versions/get?" + query, null,
          "get model version " + modelUri, "RESOURCE_DOES_NOT_EXIST")
          .orElseThrow(() -> noSuchVersion(remote, modelUri, models.group(1))).path("model_version");
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
    } else if (logged.matches()) {
      JsonNode info = remote.getJson("/api/2.0/mlflow/logged-models/" + logged.group(1), "get logged model " + modelUri)
          .path("model").path("info");
      runId = info.path("source_run_id").asText(null);
      artifactUri = info.path("artifact_uri").asText();
      target = cache.resolve("logged-models").resolve(logged.group(1));
    } else {
      throw new TrackingException(given + " is not a model URI: give models:/<registered name>/<version>,"
          + " models:/<name>@<alias>, models:/<name>/latest, models:/<model id> (m-...) or"
          + " runs:/<run id>/<artifact folder>, e.g. runs:/<run id>/best-model");
    }
    if (!Files.isDirectory(target)) {
      fetch(remote, modelUri, artifactUri, target);
    }
    return new DownloadedModel(target, runId, modelUri);
  }

  /**
   * {@code models:/<name>@<alias>} and {@code models:/<name>/latest} as {@code
   * models:/<name>/<version>} of the version they point at now (the highest version for latest, as
   * MLflow's own clients read it); any other URI as given.
   */
  private static String versioned(MlflowRemote remote, String modelUri) {
    Matcher registered = REGISTERED.matcher(modelUri);
    if (registered.matches()) {
      checkRegistered(remote, modelUri, registered.group(1));
    }
    Matcher alias = ALIAS.matcher(modelUri);
    Matcher latest = LATEST.matcher(modelUri);
    if (alias.matches()) {
      String query = "name=" + encode(alias.group(1)) + "&alias=" + encode(alias.group(2));
      return "models:/" + alias.group(1) + "/" + remote.getJson("/api/2.0/mlflow/registered-models/alias?" + query,
          "get the version of " + modelUri).path("model_version").path("version").asText();
    }
    if (latest.matches()) {
      JsonNode versions = remote.sendJson("POST", "/api/2.0/mlflow/registered-models/get-latest-versions",
          JSON.createObjectNode().put("name", latest.group(1)), "get the latest version of " + modelUri, null)
          .orElseThrow().path("model_versions");
      int newest = 0;
      for (JsonNode v : versions) {
        newest = Math.max(newest, v.path("version").asInt());
      }
      if (newest == 0) {
        throw new TrackingException(modelUri + ": the registered model '" + latest.group(1) + "' has no versions on "
            + remote.uri());
      }
      return "models:/" + latest.group(1) + "/" + newest;
    }
    return modelUri;
  }

  /**
   * Fails with what to give instead when the server has no registered model {@code name}: the
   * server's own answer (404, "Registered Model with name=... not found") does not say that only
   * {@code gz run} registers models, nor how to name one that {@code gz train} made.
   */
  private static void checkRegistered(MlflowRemote remote, String modelUri, String name) {
    if (remote.sendJson("GET", "/api/2.0/mlflow/registered-models/get?name=" + encode(name), null,
        "get registered model " + name, "RESOURCE_DOES_NOT_EXIST").isEmpty()) {
      throw new TrackingException(modelUri + ": " + remote.uri() + " has no registered model '" + name + "'. gz run"
          + " registers its best model (under train.registered-model, by default the experiment's name); a model that"
          + " gz train made is runs:/<run id>/best-model, or give that run's id.");
    }
  }

  /** A registered model's version that does not exist, with the versions that do (the server's 404 names none). */
  private static TrackingException noSuchVersion(MlflowRemote remote, String modelUri, String name) {
    List<Integer> versions = new ArrayList<>();
    remote.getJson("/api/2.0/mlflow/model-versions/search?filter=" + encode("name='" + name.replace("'", "\\'") + "'")
        + "&max_results=1000", "list the versions of " + name).path("model_versions")
        .forEach(v -> versions.add(v.path("version").asInt()));
    Collections.sort(versions);
    return new TrackingException(modelUri + ": the registered model '" + name + "' on " + remote.uri() + " has no such"
        + " version; its versions: " + versions.stream().map(String::valueOf).collect(Collectors.joining(", "))
        + " (models:/" + name + "/latest is the newest)");
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
