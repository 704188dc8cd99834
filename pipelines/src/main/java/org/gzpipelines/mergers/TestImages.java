package org.gzpipelines.mergers;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.gzpipelines.cli.UserError;
import org.gzpipelines.evaluate.ReadSplit;
import org.gzpipelines.schemas.Galaxy;

/**
 * The unlabelled galaxies whose merger fraction is measured. An ingested folder's {@code test/}
 * split is read as it is (gz ingest already cropped and resized it, and a re-run of ingest on the
 * same inputs is a no-op, so reusing its output costs nothing). Raw images (a folder, .zip or
 * .tar.gz) go through the ingest pipeline's own read and preprocess transforms, inside this
 * pipeline.
 */
final class TestImages extends PTransform<PBegin, PCollection<Galaxy>> {

  private final Path images;

  TestImages(Path images) {
    this.images = images;
  }

  static boolean isIngested(Path images) {
    return Files.isDirectory(images) && ReadSplit.hasShards(images, "test");
  }

  @Override
  public PCollection<Galaxy> expand(PBegin begin) {
    if (isIngested(images)) {
      return begin.apply("Read ingested test split", ReadSplit.of(images, "test"));
    }
    if (!Files.exists(images)) {
      throw new UserError("--images " + images + " does not exist: give the test images (a folder, .zip or .tar.gz)"
          + " or a folder written by gz ingest");
    }
    // TODO(ingest): read raw images with the ingest pipeline's ReadImages + Preprocess once branch ingest lands.
    throw new UserError("--images " + images + ": reading raw images needs the ingest transforms, which this build"
        + " does not have yet; run gz ingest on them and pass its output folder (it holds test/)");
  }
}
