package org.gzpipelines.mergers;

import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.gzpipelines.schemas.Galaxy;

/**
 * Writes {@link ImageStatistics} CSV lines, one per galaxy, into {@code dir/part-*.csv}, the files
 * the domain-shift check reads (gz mergers and gz evaluate). Raw images get their lines where they
 * are decoded ({@link TestImages}); ingested records through {@link #lines}.
 */
public final class WriteImageStatistics extends PTransform<PCollection<String>, PDone> {

  private final String dir;

  public WriteImageStatistics(String dir) {
    this.dir = dir;
  }

  /** One {@link ImageStatistics} line per galaxy of {@code split}. */
  public static PCollection<String> lines(PCollection<Galaxy> galaxies, String split) {
    return galaxies.apply("Image statistics " + split,
        MapElements.into(TypeDescriptors.strings()).via((Galaxy g) -> ImageStatistics.of(g).csv()));
  }

  @Override
  public PDone expand(PCollection<String> lines) {
    return lines.apply("Write", TextIO.write().to(dir + "/part").withSuffix(".csv"));
  }
}
