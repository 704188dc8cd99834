package org.gzpipelines.explore;

import java.nio.ByteBuffer;
import org.gzpipelines.explore.ExploreResults.Image;
import org.gzpipelines.schemas.Galaxy;

/** Turns a Galaxy record into a report image (copies the pixels out of Avro's buffer). */
final class Images {
  private Images() {}

  static Image of(Galaxy g) {
    Image image = new Image();
    image.galaxyId = g.getGalaxyId();
    image.split = g.getSplit().name().toLowerCase(java.util.Locale.ROOT);
    image.height = g.getHeight();
    image.width = g.getWidth();
    image.channels = g.getChannels();
    ByteBuffer buffer = g.getPixels().duplicate();
    image.pixels = new byte[buffer.remaining()];
    buffer.get(image.pixels);
    return image;
  }
}
