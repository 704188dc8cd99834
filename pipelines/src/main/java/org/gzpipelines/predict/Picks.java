package org.gzpipelines.predict;

import java.io.Serializable;
import java.util.Set;
import org.gzpipelines.schemas.Prediction;

/**
 * A rule that picks the few galaxies a report shows from the predictions offered to it, in bounded
 * state (gz evaluate's extremes, gz mergers' candidates). The same rule picks twice: each work unit
 * over its own galaxies, keeping their images ({@link PickedImages}), and the driver over all
 * written predictions. The picks over all galaxies are among the units' picks, so their images
 * were kept.
 */
public interface Picks {

  /** Offers a prediction; false only when it is certainly not among the picks now. */
  boolean offer(Prediction prediction);

  /** The galaxies picked so far. */
  Set<Long> ids();

  /** The most galaxies picked at once. */
  int capacity();

  /** Makes each work unit's {@link Picks}; serialized with the step. */
  interface PerUnit extends Serializable {
    Picks create();
  }
}
