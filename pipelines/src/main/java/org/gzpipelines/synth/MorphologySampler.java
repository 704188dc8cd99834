package org.gzpipelines.synth;

import java.util.SplittableRandom;
import org.gzpipelines.synth.SyntheticGalaxy.ArmWinding;
import org.gzpipelines.synth.SyntheticGalaxy.Artifact;
import org.gzpipelines.synth.SyntheticGalaxy.BulgeProminence;
import org.gzpipelines.synth.SyntheticGalaxy.EdgeOnBulge;
import org.gzpipelines.synth.SyntheticGalaxy.Morphology;
import org.gzpipelines.synth.SyntheticGalaxy.OddFeature;
import org.gzpipelines.synth.SyntheticGalaxy.Roundness;

/**
 * Draws the true morphology of a galaxy, with frequencies loosely like the Galaxy Zoo 2 main
 * sample (about 40% smooth, half disks, mostly two-armed spirals, a few stars and artifacts).
 * Whether it is a merger is decided by the caller, so a set can hold an exact merger count.
 */
public final class MorphologySampler {

  private static final double[] MORPHOLOGY = {0.40, 0.44, 0.13, 0.03};
  private static final double[] ROUNDNESS = {0.35, 0.50, 0.15};
  private static final double[] EDGE_ON_BULGE = {0.45, 0.12, 0.43};
  private static final double[] BULGE = {0.10, 0.40, 0.38, 0.12};
  // arm counts 1, 2, 3, 4, more than four
  private static final double[] ARMS = {0.05, 0.50, 0.17, 0.10, 0.18};
  private static final double[] WINDING = {0.30, 0.45, 0.25};
  private static final double BAR = 0.30;
  // Disks without visible arms (lenticulars, featureless blue disks) are common in real samples:
  // a third of face-on disks, so that "disk" alone does not mean "spiral".
  private static final double SPIRAL = 0.68;

  // Odd features (other than mergers) by morphology, in OddFeature order (NONE and MERGER weight 0).
  private static final double[] ODD_SMOOTH = {0, 0.20, 0.25, 0.25, 0, 0.30, 0, 0};
  private static final double[] ODD_DISK = {0, 0.35, 0, 0.20, 0.25, 0.20, 0, 0};
  private static final double[] ODD_EDGE_ON = {0, 0, 0, 0.15, 0, 0.25, 0, 0.60};
  private static final double ODD_P_SMOOTH = 0.08;
  private static final double ODD_P_DISK = 0.20;
  private static final double ODD_P_EDGE_ON = 0.30;

  /** The galaxy with this id and seed; a merger is never a star or artifact. */
  public SyntheticGalaxy sample(long galaxyId, long seed, boolean merger) {
    SplittableRandom r = new SplittableRandom(Seeds.mix(seed, Seeds.MORPHOLOGY));
    Morphology morphology = Morphology.values()[merger ? pick(r, MORPHOLOGY, 3) : pick(r, MORPHOLOGY)];
    Roundness roundness = null;
    EdgeOnBulge edgeOnBulge = null;
    boolean bar = false;
    int arms = 0;
    ArmWinding winding = null;
    BulgeProminence bulge = null;
    Artifact artifact = null;
    double oddP = 0;
    double[] oddWeights = null;
    switch (morphology) {
      case SMOOTH -> {
        roundness = Roundness.values()[pick(r, ROUNDNESS)];
        oddP = ODD_P_SMOOTH;
        oddWeights = ODD_SMOOTH;
      }
      case DISK -> {
        bar = r.nextDouble() < BAR;
        if (r.nextDouble() < SPIRAL) {
          arms = 1 + pick(r, ARMS);
          winding = ArmWinding.values()[pick(r, WINDING)];
        }
        bulge = BulgeProminence.values()[pick(r, BULGE)];
        oddP = ODD_P_DISK;
        oddWeights = ODD_DISK;
      }
      case EDGE_ON_DISK -> {
        edgeOnBulge = EdgeOnBulge.values()[pick(r, EDGE_ON_BULGE)];
        oddP = ODD_P_EDGE_ON;
        oddWeights = ODD_EDGE_ON;
      }
      case STAR_OR_ARTIFACT -> artifact = r.nextDouble() < 0.6 ? Artifact.STAR : Artifact.SATELLITE_TRAIL;
    }
    OddFeature odd = OddFeature.NONE;
    if (merger) {
      odd = OddFeature.MERGER;
    } else if (oddWeights != null && r.nextDouble() < oddP) {
      odd = OddFeature.values()[pick(r, oddWeights)];
    }
    if (odd == OddFeature.IRREGULAR) {
      // An irregular galaxy is a clumpy disk without a bar or an arm pattern.
      bar = false;
      arms = 0;
      winding = null;
    }
    return new SyntheticGalaxy(
        galaxyId, seed, morphology, roundness, edgeOnBulge, bar, arms, winding, bulge, odd, merger, artifact);
  }

  /** An index drawn with the given (not necessarily normalised) weights. */
  static int pick(SplittableRandom r, double[] weights) {
    return pick(r, weights, weights.length);
  }

  /** An index below {@code limit} drawn with the given weights. */
  static int pick(SplittableRandom r, double[] weights, int limit) {
    double total = 0;
    for (int i = 0; i < limit; i++) {
      total += weights[i];
    }
    double u = r.nextDouble() * total;
    int last = 0;
    for (int i = 0; i < limit; i++) {
      if (weights[i] > 0) {
        last = i;
        u -= weights[i];
        if (u < 0) {
          return i;
        }
      }
    }
    return last;
  }
}
