package org.gzpipelines.tracking;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;
import org.mlflow.tracking.creds.MlflowHostCredsProvider;

/**
 * A tracking server's address split into the URL, which may be stored and printed, and the
 * credentials, which only ever travel in request headers. Credentials come, as MLflow's own
 * clients read them, from {@value #TOKEN_ENV} (Bearer), else {@value #USERNAME_ENV} and
 * {@value #PASSWORD_ENV} (Basic), else the URL's user-info ({@code http://user:token@host}, Basic).
 *
 * <p>The MLflow Java client is given the URL without user-info and the credentials apart: with
 * user-info in its URL it would send nothing until the server challenges, and the URL would end up
 * in its messages.
 */
final class ServerAddress {
  static final String TOKEN_ENV = "MLFLOW_TRACKING_TOKEN";
  static final String USERNAME_ENV = "MLFLOW_TRACKING_USERNAME";
  static final String PASSWORD_ENV = "MLFLOW_TRACKING_PASSWORD";

  private final String url;
  private final String username;
  private final String password;
  private final String token;

  private ServerAddress(String url, String username, String password, String token) {
    this.url = url;
    this.username = username;
    this.password = password;
    this.token = token;
  }

  /** The address of a valid http(s) URL ({@link Tracking} checked it), credentials from {@code env} or the URL. */
  static ServerAddress of(String uri, Map<String, String> env) {
    String url = Uris.withoutUserInfo(uri).replaceAll("/+$", "");
    String token = env.get(TOKEN_ENV);
    if (token != null && !token.isEmpty()) {
      return new ServerAddress(url, null, null, token);
    }
    String user = env.get(USERNAME_ENV);
    String password = env.get(PASSWORD_ENV);
    if (user != null && password != null) {
      return new ServerAddress(url, user, password, null);
    }
    String info = URI.create(uri).getRawUserInfo();
    if (info == null) {
      return new ServerAddress(url, null, null, null);
    }
    // Split before decoding: a ':' inside the user name or password is percent-encoded.
    int colon = info.indexOf(':');
    return colon < 0
        ? new ServerAddress(url, decode(info), "", null)
        : new ServerAddress(url, decode(info.substring(0, colon)), decode(info.substring(colon + 1)), null);
  }

  private static String decode(String part) {
    return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8); // '+' is literal in a URI
  }

  /** The server's URL without user-info or trailing slash. */
  String url() {
    return url;
  }

  /** The Authorization header value for requests this module makes itself (artifacts, histories). */
  Optional<String> authorization() {
    if (token != null) {
      return Optional.of("Bearer " + token);
    }
    if (username != null) {
      String pair = username + ":" + password;
      return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    return Optional.empty();
  }

  /** The same URL and credentials for the MLflow Java client, which sends them with every request. */
  MlflowHostCredsProvider hostCreds() {
    return new BasicMlflowHostCreds(url, username, password, token, false);
  }
}
