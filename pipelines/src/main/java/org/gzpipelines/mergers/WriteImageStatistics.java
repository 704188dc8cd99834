package org.gzpipelines.mergers;

import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.gzpipelines.schemas.Galaxy;

/**
 * Writes each galaxy's {@link ImageStatistics} as one CSV line into {@code dir/part-*.csv}, the
 * files the domain-shift check reads (gz mergers and gz evaluate).
 */
public final class WriteImageStatistics extends PTransform<PCollection<Galaxy>, PDone> {

  private final String dir;

  public WriteImageStatistics(String dir) {
    this.dir = dir;
  }

  @Override
  public PDone expand(PCollection<Galaxy> galaxies) {
    return galaxies
        .apply("Image statistics", MapElements.into(TypeDescriptors.strings()).via((Galaxy g) -> ImageStatistics.of(g).csv()))
        .apply("Write", TextIO.write().to(dir + "/part").withSuffix(".csv"));
  }
}
