package org.gzpipelines.tracking;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * URIs as they may be stored or printed: without user-info ({@code http://user:token@host} becomes
 * {@code http://host}), because user-info is a credential. The one place that strips it; the
 * credentials themselves travel only in request headers ({@link ServerAddress}).
 */
public final class Uris {
  /** For text java.net.URI refuses (an invalid URL in an error message): "//anything@" up to the host. */
  private static final Pattern USER_INFO = Pattern.compile("(?<=//)[^/?#@\\s]*@");

  private Uris() {}

  /** {@code uri} without its user-info; unchanged when it has none or is not a URI at all. */
  public static String withoutUserInfo(String uri) {
    if (uri == null || !uri.contains("@")) {
      return uri;
    }
    try {
      URI parsed = new URI(uri);
      if (parsed.getRawUserInfo() == null) {
        return uri;
      }
      // Cut the raw text rather than rebuild through URI's constructors, which re-encode the rest.
      String raw = parsed.toString();
      int at = raw.indexOf(parsed.getRawUserInfo() + "@");
      return raw.substring(0, at) + raw.substring(at + parsed.getRawUserInfo().length() + 1);
    } catch (URISyntaxException e) {
      return USER_INFO.matcher(uri).replaceAll("");
    }
  }
}
