package org.gzpipelines.ingest;

import org.gzpipelines.schemas.Split;

/**
 * An image with its labels (null when ingesting unlabelled images) and its split, still encoded
 * (JPEG or PNG bytes): what {@link ImagePreprocessor} turns into records.
 */
public record LabelledImage(long galaxyId, ImageFile image, float[] labels, Split split) {}
