package org.gzpipelines.mergers;

/**
 * The observational and theoretical reference for the merger fraction: Lotz, Jonsson, Cox,
 * Croton, Primack, Somerville &amp; Stewart 2011, "The Major and Minor Galaxy Merger Rates at z &lt;
 * 1.5", ApJ 742, 103 (arXiv:1108.2508). Every constant the merger report compares with lives here,
 * with where it comes from.
 *
 * <p>A merger FRACTION is a snapshot: the share of galaxies that look like mergers now. A merger
 * RATE per galaxy is fraction / observability timescale: how long a merger stays identifiable by
 * the method that found it. Lotz et al. calibrate that timescale per method with hydrodynamic
 * merger simulations, cosmologically averaged: R = f / &lt;T_obs&gt;.
 *
 * <p>The numbers marked "approximate" are read off the paper's figures and tables (z ~ 0-0.3, major
 * mergers of mass ratio 1:1-1:4) and carry the range quoted, not a fitted error; they have not been
 * checked against the full text since (only the abstracts of Lotz+2011 and of the simulation papers
 * behind its timescales, Lotz, Jonsson, Cox &amp; Primack 2010a, MNRAS 404, 575 and 2010b, MNRAS 404,
 * 590, were at hand), so each source says which: check the approximate ones before citing a result.
 */
public final class Lotz2011 {

  /** Citation for reports. */
  public static final String CITATION =
      "Lotz J. M. et al. 2011, ApJ 742, 103, 'The Major and Minor Galaxy Merger Rates at z < 1.5' (arXiv:1108.2508)";

  /** Citation of the simulations behind the morphological timescales, for reports. */
  public static final String SIMULATIONS_CITATION = "Lotz J. M., Jonsson P., Cox T. J., Primack J. R. 2010a,"
      + " MNRAS 404, 575 (mass ratio) and 2010b, MNRAS 404, 590 (gas fraction)";

  /** A value with the range it is quoted with. */
  public record Quoted(double value, double low, double high, String source) {}

  /**
   * Fractional major-merger rate per galaxy at z ~ 0 for stellar-mass selected samples
   * (approximate, Figure 13). Close pairs give the major-merger rate; G-M20, sensitive down to
   * about 1:10, gives the total one, and the abstract's minor-merger rate is their difference.
   */
  public static final Quoted MAJOR_MERGER_RATE_Z0 =
      new Quoted(0.03, 0.01, 0.05, "Lotz+2011 Fig. 13 (approximate, not checked against the full text)");

  /**
   * Major-merger fraction at z ~ 0 of stellar-mass selected close pairs (approximate): a fraction
   * by another method than volunteers' votes, with its own observability timescale, so only the
   * rates it implies compare with a visual fraction's.
   */
  public static final Quoted MAJOR_MERGER_FRACTION_Z0 =
      new Quoted(0.02, 0.01, 0.04, "Lotz+2011 close-pair compilation (approximate, not checked against the full text)");

  /** Minor (1:4-1:10) to major merger rate ratio at z ~ 0.7, with little evolution (abstract of the paper). */
  public static final Quoted MINOR_TO_MAJOR_RATE_RATIO =
      new Quoted(3.0, 2.0, 4.0, "Lotz+2011 abstract: ~3x at z ~ 0.7 (the 2-4 range is ours)");

  /** An identification method with its cosmologically averaged observability timescale. */
  public enum Method {
    /** Close pairs of projected separation 5-20 kpc/h: identified before coalescence. */
    CLOSE_PAIRS_20KPC("close pairs, 5-20 kpc/h", new Quoted(0.5, 0.3, 0.6,
        "Lotz+2011 (approximate, not checked against the full text)")),
    /**
     * Gini-M20 disturbed morphology: mostly near first passage and coalescence (Lotz+2008), as
     * sensitive to 1:9 as to 1:1 mergers (Lotz+2010a).
     */
    GINI_M20("G-M20 morphology", new Quoted(0.25, 0.2, 0.4,
        "Lotz+2010a,b abstracts: 0.2-0.4 Gyr per simulated merger, weakly gas-dependent; Lotz+2011's average approximate")),
    /**
     * Asymmetry A > 0.35: mostly 1:1-1:4 mergers (Lotz+2010a); at most 0.3 Gyr at a gas fraction of
     * 20%, 1 Gyr or more at 50% (Lotz+2010b). This is the closest automated analogue of volunteers
     * calling a galaxy "disturbed / merger".
     */
    ASYMMETRY("asymmetry A", new Quoted(0.4, 0.2, 1.0,
        "Lotz+2010b abstract: <= 0.3 Gyr at 20% gas, >= 1 Gyr at 50%; Lotz+2011's average approximate")),
    /**
     * Visual classification (Galaxy Zoo "merger"): calibrated by no simulation. Visible tidal
     * features and overlapping pairs span first passage to coalescence, so the range of the
     * morphological timescales is taken, centred on asymmetry's.
     */
    VISUAL("visual (Galaxy Zoo merger vote)", new Quoted(0.4, 0.2, 1.0,
        "assumed: the range of the morphological timescales (Lotz+2010a,b)"));

    private final String description;
    private final Quoted observabilityTimescale;

    Method(String description, Quoted observabilityTimescale) {
      this.description = description;
      this.observabilityTimescale = observabilityTimescale;
    }

    public String description() {
      return description;
    }

    /** &lt;T_obs&gt; in Gyr with its range. */
    public Quoted observabilityTimescale() {
      return observabilityTimescale;
    }
  }

  private Lotz2011() {}

  /**
   * Converts a merger fraction to a rate per galaxy per Gyr with a method's observability
   * timescale: R = f / T_obs. Returns {central, low, high}: the low rate uses the longest
   * timescale and the high rate the shortest.
   */
  public static double[] rateFromFraction(double fraction, Method method) {
    Quoted t = method.observabilityTimescale();
    return new double[] {fraction / t.value(), fraction / t.high(), fraction / t.low()};
  }
}
