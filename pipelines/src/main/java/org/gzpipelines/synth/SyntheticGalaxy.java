package org.gzpipelines.synth;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The true morphology of one synthetic galaxy: what the renderer drew and what the volunteer
 * model's answers favour. Attributes that do not apply to the morphology are null (arms of an
 * elliptical, say), and {@code armCount} is 0 for a galaxy without arms.
 *
 * @param galaxyId 6-digit Kaggle-style id, also the image file name
 * @param seed this galaxy's own seed (derived from the master seed); shapes and pixels come from it
 * @param morphology the answer to Q1/Q2 the galaxy deserves
 * @param roundness Q7, for smooth galaxies
 * @param edgeOnBulge Q9, for edge-on disks
 * @param bar Q3, for face-on disks
 * @param armCount Q11: 0 (no arms), 1, 2, 3, 4, or 5 meaning "more than four"
 * @param armWinding Q10, for galaxies with arms
 * @param bulge Q5, for face-on disks
 * @param oddFeature Q6/Q8: NONE or the one odd feature drawn
 * @param merger true where a second, interacting galaxy was drawn (then oddFeature is MERGER)
 * @param artifact for STAR_OR_ARTIFACT: which one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SyntheticGalaxy(
    long galaxyId,
    long seed,
    Morphology morphology,
    Roundness roundness,
    EdgeOnBulge edgeOnBulge,
    boolean bar,
    int armCount,
    ArmWinding armWinding,
    BulgeProminence bulge,
    OddFeature oddFeature,
    boolean merger,
    Artifact artifact) {

  /** Arm count value meaning "more than four". */
  public static final int MANY_ARMS = 5;

  public SyntheticGalaxy {
    if (merger != (oddFeature == OddFeature.MERGER)) {
      throw new IllegalArgumentException("merger must be true exactly when oddFeature is MERGER");
    }
    if (armCount < 0 || armCount > MANY_ARMS || (armCount > 0) != (armWinding != null)) {
      throw new IllegalArgumentException("armCount 0-5 with a winding exactly when there are arms");
    }
  }

  /** True where the galaxy has spiral arms. */
  public boolean spiral() {
    return armCount > 0;
  }

  /** Q1/Q2 truth. */
  public enum Morphology {
    /** Smooth, no disk: an elliptical (Q1 smooth). */
    SMOOTH,
    /** A disk seen not edge-on (Q1 features, Q2 no). */
    DISK,
    /** A disk seen edge-on (Q1 features, Q2 yes). */
    EDGE_ON_DISK,
    /** A star or an image artifact in the centre (Q1 star or artifact). */
    STAR_OR_ARTIFACT
  }

  /** Q7, in answer order. */
  public enum Roundness { COMPLETELY_ROUND, IN_BETWEEN, CIGAR_SHAPED }

  /** Q9, in answer order. */
  public enum EdgeOnBulge { ROUNDED, BOXY, NO_BULGE }

  /** Q10, in answer order. */
  public enum ArmWinding { TIGHT, MEDIUM, LOOSE }

  /** Q5, in answer order. */
  public enum BulgeProminence { NO_BULGE, JUST_NOTICEABLE, OBVIOUS, DOMINANT }

  /** Q8, in answer order, after NONE (no odd feature, Q6 no). */
  public enum OddFeature { NONE, RING, LENS_OR_ARC, DISTURBED, IRREGULAR, OTHER, MERGER, DUST_LANE }

  /** What a STAR_OR_ARTIFACT image shows. */
  public enum Artifact { STAR, SATELLITE_TRAIL }
}
