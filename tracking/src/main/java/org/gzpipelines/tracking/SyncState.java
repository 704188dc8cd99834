package org.gzpipelines.tracking;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code sync.json} of a local run folder: exactly which of the folder's records the server has
 * confirmed. Metric points are sent in file order, so the confirmed ones are the first {@link
 * #metricsConfirmed} lines of {@code metrics.csv}; a batch whose answer was lost is not counted and
 * is reconciled against the server's metric history by the next sync.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
final class SyncState {
  public long metricsConfirmed;
  public Map<String, String> paramsConfirmed = new LinkedHashMap<>();
  public Map<String, String> tagsConfirmed = new LinkedHashMap<>();
  public Set<String> artifactsConfirmed = new LinkedHashSet<>();
  public boolean endConfirmed;
  /** Logged models the server holds, finalized: name to the server's model id. */
  public Map<String, String> modelsConfirmed = new LinkedHashMap<>();
  /** Registered model names the run's {@code registerAs} entries were registered under. */
  public Set<String> registrationsConfirmed = new LinkedHashSet<>();
}
