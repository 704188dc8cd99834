package org.gzpipelines.model.predict;

import java.nio.ByteBuffer;
import java.util.List;
import org.gzpipelines.model.data.HostBatch;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;

/** Builds a {@link HostBatch} from Galaxy records already in memory (one image size per batch). */
public final class HostBatches {

  private HostBatches() {}

  public static HostBatch of(List<Galaxy> galaxies) {
    if (galaxies.isEmpty()) {
      throw new IllegalArgumentException("nothing to predict: the batch is empty");
    }
    Galaxy first = galaxies.get(0);
    int h = first.getHeight();
    int w = first.getWidth();
    int c = first.getChannels();
    int imageBytes = h * w * c;
    int n = galaxies.size();
    byte[] pixels = new byte[n * imageBytes];
    long[] ids = new long[n];
    float[] labels = new float[n * GalaxyZooTaxonomy.ANSWER_COUNT];
    for (int i = 0; i < n; i++) {
      Galaxy g = galaxies.get(i);
      ByteBuffer px = g.getPixels().duplicate();
      if (g.getHeight() != h || g.getWidth() != w || g.getChannels() != c || px.remaining() != imageBytes) {
        throw new IllegalArgumentException("galaxy " + g.getGalaxyId() + " is " + g.getHeight() + "x" + g.getWidth()
            + "x" + g.getChannels() + " (" + px.remaining() + " bytes); the batch is " + h + "x" + w + "x" + c);
      }
      px.get(pixels, i * imageBytes, imageBytes);
      ids[i] = g.getGalaxyId();
    }
    return new HostBatch(n, h, w, c, pixels, labels, ids, 0, 0);
  }
}
