package org.gzpipelines.model.config;

/**
 * A configuration the user must fix: the message names the file and the key. It is an
 * {@link IllegalArgumentException} so the command line prints it without a stack trace.
 */
public final class ConfigException extends IllegalArgumentException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
