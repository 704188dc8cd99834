package org.gzpipelines.mergers;

import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes {@link ImageStatistics} CSV lines, one per galaxy, into {@code dir/part-*.csv}, the files
 * the domain-shift check reads (gz mergers and gz evaluate); the lines are made where each image
 * is read and predicted ({@link PredictImages#withStatistics}).
 */
public final class WriteImageStatistics extends PTransform<PCollection<String>, PDone> {

  private final String dir;

  public WriteImageStatistics(String dir) {
    this.dir = dir;
  }

  @Override
  public PDone expand(PCollection<String> lines) {
    return lines.apply("Write", TextIO.write().to(dir + "/part").withSuffix(".csv"));
  }
}
