package org.gzpipelines.mergers;

/**
 * The like-for-like reference for a merger fraction from volunteers' votes: Darg D. W. et al. 2010,
 * "Galaxy Zoo: the fraction of merging galaxies in the SDSS and their morphologies", MNRAS 401,
 * 1043 (arXiv:0903.4937). From Galaxy Zoo 1 volunteers' weighted merger vote f_m, over SDSS
 * galaxies at 0.005 &lt; z &lt; 0.1, the fraction of volume-limited (M_r &lt; -20.55) major mergers
 * (mass ratio 1:3 to 3:1) is 1-3 x C per cent, C ~ 1.5 correcting for spectroscopic incompleteness
 * (the abstract). Lotz et al. 2011's fractions come from other methods with other observability
 * timescales; this one is measured from volunteers' votes, as gz mergers measures.
 */
public final class Darg2010 {

  /** Citation for reports. */
  public static final String CITATION = "Darg D. W. et al. 2010, MNRAS 401, 1043, 'Galaxy Zoo: the fraction of"
      + " merging galaxies in the SDSS and their morphologies' (arXiv:0903.4937)";

  /** The local major-merger fraction, 1-3 x 1.5 per cent; the central value is the middle of that range. */
  public static final Lotz2011.Quoted MERGER_FRACTION = new Lotz2011.Quoted(0.03, 0.015, 0.045,
      "Darg+2010 abstract: 1-3 x C per cent, C ~ 1.5 (Galaxy Zoo 1 votes, M_r < -20.55, major mergers, 0.005 < z < 0.1);"
          + " the central 3% is the range's middle, not a quoted value");

  private Darg2010() {}
}
