package org.gzpipelines.mergers;

import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.gzpipelines.predict.PredictImages;
import org.gzpipelines.schemas.Galaxy;

/**
 * Writes {@link ImageStatistics} CSV lines, one per galaxy, into {@code dir/part-*.csv}, the files
 * the domain-shift check reads (gz mergers and gz evaluate); the lines are made where each image
 * is read and predicted ({@link PredictImages#withStatistics}, given {@link #line}).
 */
public final class WriteImageStatistics extends PTransform<PCollection<String>, PDone> {

  private final String dir;

  public WriteImageStatistics(String dir) {
    this.dir = dir;
  }

  /** The line of {@code galaxy}'s {@link ImageStatistics}. */
  public static String line(Galaxy galaxy) {
    return ImageStatistics.of(galaxy).csv();
  }

  @Override
  public PDone expand(PCollection<String> lines) {
    return lines.apply("Write", TextIO.write().to(dir + "/part").withSuffix(".csv"));
  }
}
