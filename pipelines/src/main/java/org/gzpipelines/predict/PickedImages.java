package org.gzpipelines.predict;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Prediction;

/**
 * The images of one work unit's {@link Picks}: offered every galaxy the unit predicts, drained
 * into the unit's candidates file when the unit ends. It holds at most twice the picks' capacity
 * of images while the unit runs and hands over only the picked ones.
 */
public final class PickedImages {
  private final Picks picks;
  private final Map<Long, Galaxy> images = new HashMap<>();

  public PickedImages(Picks picks) {
    this.picks = picks;
  }

  public void offer(Prediction prediction, Galaxy galaxy) {
    if (picks.offer(prediction)) {
      images.put(prediction.getGalaxyId(), galaxy);
      if (images.size() > 2 * picks.capacity()) {
        forgetUnpicked();
      }
    }
  }

  /** Hands over the images of the picked galaxies and forgets them. */
  public void drainTo(Consumer<Galaxy> out) {
    forgetUnpicked();
    images.values().forEach(out);
    images.clear();
  }

  private void forgetUnpicked() {
    images.keySet().retainAll(picks.ids());
  }

  /** The images of {@code ids} among those the units wrote into {@code dir}, by galaxy id. */
  public static Map<Long, Galaxy> read(Path dir, Set<Long> ids) {
    Map<Long, Galaxy> images = new HashMap<>();
    UnitParts.forEach(dir, Galaxy.class, g -> {
      if (ids.contains(g.getGalaxyId())) {
        images.put(g.getGalaxyId(), g);
      }
    });
    return images;
  }
}
