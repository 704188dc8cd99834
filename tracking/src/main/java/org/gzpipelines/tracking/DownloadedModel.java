package org.gzpipelines.tracking;

import java.nio.file.Path;

/**
 * A model fetched from the tracking server into a local folder.
 *
 * @param dir the folder holding the model's files
 * @param runId the server's id of the run that produced it, or null when the server names none
 */
public record DownloadedModel(Path dir, String runId) {}
