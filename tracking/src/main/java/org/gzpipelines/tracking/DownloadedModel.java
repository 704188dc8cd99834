package org.gzpipelines.tracking;

import java.nio.file.Path;

/**
 * A model fetched from the tracking server into a local folder.
 *
 * @param dir the folder holding the model's files
 * @param runId the server's id of the run that produced it, or null when the server names none
 * @param uri the URI it was fetched as: an alias or latest resolved to its version ({@code
 *     models:/<name>/<version>}), any other URI as given
 */
public record DownloadedModel(Path dir, String runId, String uri) {}
