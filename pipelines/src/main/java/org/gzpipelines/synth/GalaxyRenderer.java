package org.gzpipelines.synth;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.gzpipelines.synth.Canvas.Colour;
import org.gzpipelines.synth.Canvas.Disk;
import org.gzpipelines.synth.SyntheticGalaxy.Artifact;
import org.gzpipelines.synth.SyntheticGalaxy.EdgeOnBulge;
import org.gzpipelines.synth.SyntheticGalaxy.Morphology;
import org.gzpipelines.synth.SyntheticGalaxy.OddFeature;

/**
 * Draws a {@link SyntheticGalaxy} as an SDSS-like gri colour cutout: Sersic bulges, exponential
 * disks at random inclination and position angle, logarithmic spiral arms, bars, rings, dust lanes,
 * a second galaxy with tidal tails for mergers, a Gaussian PSF, sky and photon noise, field stars,
 * and the asinh stretch SDSS uses for its colour images. Bulges are redder than disks and arms.
 *
 * <p>Shapes and noise come from the galaxy's seed, so a galaxy always gives the same bytes. The
 * galaxy is centred: for non-mergers the flux-weighted centroid of its light is moved onto the
 * frame centre (lopsided, one-armed or clumpy galaxies would otherwise drift off it). Lengths are
 * chosen for 424-pixel frames and scale with the frame size.
 *
 * <p>Not thread-safe (it reuses its buffers): use one renderer per thread.
 */
public final class GalaxyRenderer {

  /** Kaggle's frame size, for which the lengths below are chosen. */
  private static final double REFERENCE_SIZE = 424;
  /** Kaggle's JPEGs were written at IJG quality 75 ({@link JpegQuality} on the real images). */
  private static final float JPEG_QUALITY = 0.75f;
  private static final double PHOTON_GAIN = 15;
  /** Radius (in frame sizes) of the central region that is centred and kept free of field stars. */
  private static final double CENTRE_CROP_RADIUS = 0.25;

  // Colours matched to real cutouts (gz synth --compare-real): centre red/blue ~1.6, outskirts ~1.2.
  private static final Colour BULGE = Colour.of(1.30, 0.97, 0.62);
  private static final Colour DISK = Colour.of(1.08, 0.99, 0.88);
  private static final Colour ARMS = Colour.of(0.85, 0.95, 1.18);
  private static final Colour LENSED = Colour.of(0.55, 0.80, 1.60);
  /** Star-forming knots (HII regions) along the arms of real spirals: the bluest light of a disk. */
  private static final Colour KNOTS = Colour.of(0.70, 0.90, 1.45);
  /**
   * How often a non-merger has a close neighbour that does not interact (no tails, no bridge), at
   * the distance of a merger's companion: real cutouts often hold a second galaxy or a star next
   * to the target, and a model that learns "two objects = merger" calls many real galaxies mergers.
   */
  private static final double CLOSE_NEIGHBOUR = 0.35;
  /** How often a close neighbour is about the target's size rather than a small one. */
  private static final double LARGE_NEIGHBOUR = 0.35;
  /** How often the galaxy is 1.4-2 times the usual size. */
  private static final double LARGE_FRACTION = 0.1;
  /** Largest offset (pixels of a 424-pixel frame, per axis) of the galaxy from the frame centre. */
  private static final double CENTRING_ERROR = 2.5;
  /** How often a bright star outside the frame (or scattered light) lays a glow over the sky. */
  private static final double SKY_GLOW = 0.1;

  private final int size;
  private final double scale;
  private final Canvas canvas;
  private final BufferedImage image;
  private final ImageWriter writer;
  private final ImageWriteParam jpegParams;

  public GalaxyRenderer(int size) {
    if (size < SynthOptions.MIN_SIZE) {
      throw new IllegalArgumentException("image size must be at least " + SynthOptions.MIN_SIZE + ", not " + size);
    }
    this.size = size;
    this.scale = size / REFERENCE_SIZE;
    this.canvas = new Canvas(size, SkyGrain.forScale(scale));
    this.image = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
    this.writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    this.jpegParams = writer.getDefaultWriteParam();
    jpegParams.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    jpegParams.setCompressionQuality(JPEG_QUALITY);
  }

  /** The galaxy as an 8-bit RGB image; the image is reused (overwritten) by the next call. */
  public BufferedImage render(SyntheticGalaxy galaxy) {
    double centre = size / 2.0;
    double psf = drawObject(galaxy, centre, centre);
    double shiftX = 0;
    double shiftY = 0;
    if (!galaxy.merger()) {
      // Move the light's centroid (within the central crop) onto the centre within the PSF blur:
      // a one-armed spiral or a lopsided disk would otherwise sit off-centre.
      double[] c = canvas.centroid(CENTRE_CROP_RADIUS * size);
      shiftX = centre - c[0];
      shiftY = centre - c[1];
      // After the centroid, so a neighbour does not pull the target off the centre.
      SplittableRandom n = new SplittableRandom(Seeds.mix(galaxy.seed(), Seeds.NEIGHBOUR));
      if (n.nextDouble() < CLOSE_NEIGHBOUR) {
        drawNeighbour(n, c[0], c[1]);
      }
    }
    SplittableRandom field = new SplittableRandom(Seeds.mix(galaxy.seed(), Seeds.FIELD));
    // Kaggle cutouts are centred on the catalogue position, not on the light's centroid: a pixel or
    // two off at 424 pixels. Exactly centred galaxies measured half the real sample's 180-degree
    // asymmetry about the frame centre (0.06 against 0.13-0.16).
    shiftX += between(field, -CENTRING_ERROR, CENTRING_ERROR) * scale;
    shiftY += between(field, -CENTRING_ERROR, CENTRING_ERROR) * scale;
    canvas.blur(psf, shiftX, shiftY);
    Sky sky = Sky.draw(field);
    drawFieldObjects(field, psf);
    if (field.nextDouble() < SKY_GLOW) {
      // Real frames near a bright star have a sky that rises towards one side, sometimes over the
      // whole crop: a smooth glow centred outside the frame. Kept faint (a peak of 1-4 noise
      // units): brighter glows, as some real frames have, fail SyntheticImagesTest's dark, flat
      // frame border, which calibrates the sky noise.
      double angle = between(field, 0, 2 * Math.PI);
      double distance = between(field, 0.6, 1.0) * size;
      double sigma = between(field, 0.35, 0.7) * size;
      canvas.addBlob(centre + distance * StrictMath.cos(angle), centre + distance * StrictMath.sin(angle), sigma,
          between(field, 1, 4) * 2 * Math.PI * sigma * sigma, Colour.of(1.25, 1.0, 0.75));
    }
    byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    canvas.toBgr(bgr, PHOTON_GAIN, sky, field);
    return image;
  }

  /** The galaxy as JPEG bytes (quality 0.9), ready to write as {@code <GalaxyID>.jpg}. */
  public byte[] renderJpeg(SyntheticGalaxy galaxy) {
    render(galaxy);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), jpegParams);
    } catch (IOException e) {
      throw new UncheckedIOException("JPEG encoding failed for galaxy " + galaxy.galaxyId(), e);
    }
    return bytes.toByteArray();
  }

  /** Clears the canvas and draws the galaxy's own light centred on (cx, cy); returns the PSF width. */
  private double drawObject(SyntheticGalaxy g, double cx, double cy) {
    canvas.clear();
    SplittableRandom r = new SplittableRandom(Seeds.mix(g.seed(), Seeds.RENDER));
    // Kaggle cutouts are SDSS frames rescaled to the galaxy, mostly enlarged, so the PSF is wide in
    // cutout pixels: point sources in the real JPEGs measure a half-maximum width of 14 px (10-17),
    // 1.6 times those of the former PSF sigma of 1.7-2.9 px (half-max area of stars after the stretch).
    double psf = between(r, 3.3, 5.6) * scale;
    // A tail of galaxies that fill the centre crop: real cutouts of nearby galaxies are, and a
    // model that has seen none calls such a galaxy's wide light a merger.
    double large = r.nextDouble() < LARGE_FRACTION ? between(r, 1.4, 2.0) : 1;
    double extent = switch (g.morphology()) {
      // Kaggle cutouts are scaled to the galaxy: half-light radii of ~35-48 px in 424 (real images).
      case SMOOTH -> drawSmooth(g, r, cx, cy, between(r, 18, 34) * scale * large, 1);
      case DISK -> drawDisk(g, r, cx, cy, between(r, 19, 34) * scale * large, 1);
      case EDGE_ON_DISK -> drawEdgeOn(g, r, cx, cy, between(r, 21, 38) * scale * large);
      case STAR_OR_ARTIFACT -> drawArtifact(g, r, cx, cy);
    };
    if (g.merger()) {
      drawCompanion(r, cx, cy, extent);
    }
    return psf;
  }

  /** An elliptical; returns its characteristic radius. */
  private double drawSmooth(SyntheticGalaxy g, SplittableRandom r, double cx, double cy, double re, double brightness) {
    double q = switch (g.roundness() == null ? SyntheticGalaxy.Roundness.IN_BETWEEN : g.roundness()) {
      case COMPLETELY_ROUND -> between(r, 0.86, 1.0);
      case IN_BETWEEN -> between(r, 0.52, 0.84);
      case CIGAR_SHAPED -> between(r, 0.22, 0.45);
    };
    double pa = between(r, 0, Math.PI);
    // Sersic n 1.2-3.0, brighter than the disks: after the asinh stretch and the JPEG a real
    // elliptical is a fuzzy blob with a flattened core, hardly more concentrated than a spiral
    // (r80/r20 of the real sample at the model's input: non-spirals 2.8, spirals 2.7). With de
    // Vaucouleurs profiles (n 2.8-5.5) synthetic ellipticals measured 3.6, a model learned that
    // concentration means smooth, and it called real ellipticals spirals. Colours from red to a
    // little bluer.
    double n = between(r, 1.2, 3.0);
    double ie = between(r, 12, 36) * brightness;
    RadialProfile profile = RadialProfile.sersic(n, re, Math.min(6 * re, 0.45 * size));
    canvas.addElliptical(cx, cy, profile, ie, q, pa, 0, BULGE.mix(DISK, between(r, 0, 0.4)));
    switch (g.oddFeature()) {
      case RING -> canvas.addRing(cx, cy, between(r, 1.8, 2.8) * re, between(r, 0.18, 0.3) * re,
          ie * between(r, 0.4, 0.9), q, pa, 0, Math.PI, DISK.mix(ARMS, 0.5));
      case LENS_OR_ARC -> canvas.addRing(cx, cy, between(r, 2.2, 3.5) * re, between(r, 0.7, 1.2) * scale,
          between(r, 10, 25), 1, 0, between(r, 0, 2 * Math.PI), between(r, 0.4, 0.9), LENSED);
      case DISTURBED -> drawShells(r, cx, cy, re, ie);
      case OTHER -> drawKnot(r, cx, cy, re, profile.flux() * ie * q);
      default -> { }
    }
    return re;
  }

  /** A disk seen at an angle, with bulge, bar, arms, ring and odd features; returns its scale length. */
  private double drawDisk(SyntheticGalaxy g, SplittableRandom r, double cx, double cy, double h, double brightness) {
    double cosI = between(r, 0.3, 1.0);
    double q = Math.sqrt(cosI * cosI * (1 - 0.15 * 0.15) + 0.15 * 0.15);
    double pa = between(r, 0, Math.PI);
    double i0 = between(r, 30, 80) * brightness;
    boolean irregular = g.oddFeature() == OddFeature.IRREGULAR;
    RadialProfile profile = RadialProfile.exponential(h, Math.min(4.5 * h, 0.45 * size));
    double diskFlux = profile.flux() * i0 * q;

    double barLength = 0;
    double barPa = 0;
    if (g.bar()) {
      barLength = between(r, 0.9, 1.4) * h;
      barPa = pa + between(r, -1.2, 1.2);
      RadialProfile bar = RadialProfile.sersic(0.5, barLength * 0.6, barLength * 1.6);
      double barQ = between(r, 0.22, 0.35);
      double barFlux = diskFlux * between(r, 0.10, 0.18);
      canvas.addElliptical(cx, cy, bar, barFlux / (bar.flux() * barQ), barQ, barPa, 0.2, BULGE.mix(DISK, 0.5));
    }

    int arms = g.armCount() == SyntheticGalaxy.MANY_ARMS ? 5 + r.nextInt(2) : g.armCount();
    double tanPitch = 0;
    double armPhase = 0;
    double armStrength = 0;
    double armStart = 0;
    if (arms > 0) {
      double pitchDegrees = switch (g.armWinding()) {
        case TIGHT -> between(r, 7, 12);
        case MEDIUM -> between(r, 15, 22);
        case LOOSE -> between(r, 27, 38);
      };
      tanPitch = StrictMath.tan(Math.toRadians(pitchDegrees)) * (r.nextBoolean() ? 1 : -1);
      // Real arms at the 69-pixel input range from clear to barely visible: a wide range of strengths.
      armStrength = arms > 4 ? between(r, 0.12, 0.45) : between(r, 0.15, 0.75);
      armStart = g.bar() ? barLength : between(r, 0.5, 1.0) * h;
      // Start the arms at the bar's ends: the in-plane angle of the bar's major axis.
      double barAngle = g.bar() ? inPlaneAngle(barPa, pa, q) : between(r, 0, 2 * Math.PI);
      armPhase = -arms * (barAngle - StrictMath.log(Math.max(armStart, 0.5)) / tanPitch);
    }
    // Real spirals are lopsided and their arms unequal: around the frame centre, the real sample's
    // spirals measure a 180-degree asymmetry of 0.16 and its non-spirals 0.13, where point-symmetric
    // synthetic disks measured 0.05-0.07, and asymmetry alone ranks real spirals at AUC 0.64
    // (bench/realism-by-class.sh).
    double lopsided = g.oddFeature() == OddFeature.DISTURBED ? between(r, 0.25, 0.5) * (r.nextBoolean() ? 1 : -1)
        : arms > 0 ? between(r, -0.15, 0.15) : 0;
    // A disk's colour, from red (old stars) to blue (star-forming): spirals are bluer on average,
    // as in real samples, but the ranges overlap (real samples hold red early-type spirals and blue
    // featureless disks; a model that learns "blue = spiral" ranks those wrongly, one that learns
    // no colour at all loses the strongest real cue, issue 12). Star-forming arms break into
    // patches and blue knots.
    double starFormation = arms > 0 ? between(r, 0.25, 1) : between(r, 0, 0.75);
    Colour diskColour = DISK.mix(ARMS, -0.1 + 0.9 * starFormation);
    int armWidth = arms > 0 ? r.nextInt(3) : 0;
    double flocculence = arms > 0 ? between(r, 0, arms > 4 ? 0.9 : 0.7) : 0;
    double armBeads = between(r, 2.5, 7);
    double armSeed = between(r, 0, 2 * Math.PI);
    // Real arms wind one to two turns and fade into the outer disk; they do not run to its edge.
    double armEnd = between(r, 2, 3.5) * h;
    // Arms a little bluer than their own disk, not a fixed blue: blue light alone is no sign of arms.
    canvas.addDisk(new Disk(cx, cy, profile, irregular ? i0 * 0.45 : i0, q, pa, diskColour,
        arms, tanPitch, armPhase, armStrength, armStart, diskColour.mix(ARMS, 0.4), lopsided, armWidth, flocculence,
        armBeads, armSeed, armEnd, arms > 0 ? between(r, 0.2, 0.7) : 0));
    if (arms > 0) {
      drawArmKnots(r, cx, cy, q, pa, arms, tanPitch, armPhase, armStart, profile.rMax(), h,
          (int) Math.round(starFormation * between(r, 0, 14)), diskFlux);
    }

    double bulgeToTotal = switch (g.bulge() == null ? SyntheticGalaxy.BulgeProminence.JUST_NOTICEABLE : g.bulge()) {
      case NO_BULGE -> 0;
      case JUST_NOTICEABLE -> between(r, 0.05, 0.12);
      case OBVIOUS -> between(r, 0.2, 0.32);
      case DOMINANT -> between(r, 0.45, 0.6);
    };
    if (bulgeToTotal > 0) {
      double re = h * between(r, 0.18, 0.3) * (1 + bulgeToTotal);
      RadialProfile bulge = RadialProfile.sersic(between(r, 1.5, 3.5), re, Math.min(8 * re, 0.45 * size));
      double bulgeQ = Math.max(q, between(r, 0.75, 0.95));
      double bulgeFlux = diskFlux * bulgeToTotal / (1 - bulgeToTotal);
      canvas.addElliptical(cx, cy, bulge, bulgeFlux / (bulge.flux() * bulgeQ), bulgeQ, pa, 0, BULGE);
    }

    switch (g.oddFeature()) {
      case RING -> canvas.addRing(cx, cy, between(r, 1.6, 2.4) * h, between(r, 0.15, 0.25) * h,
          i0 * between(r, 0.25, 0.5), q, pa, 0, Math.PI, ARMS);
      case IRREGULAR -> drawClumps(r, cx, cy, h, q, pa, diskFlux);
      case DISTURBED -> drawTail(r, cx, cy, between(r, 0, 2 * Math.PI), 3.5 * h, diskFlux * 0.08, DISK);
      case OTHER -> drawKnot(r, cx, cy, h, diskFlux);
      default -> { }
    }
    return h;
  }

  /** An edge-on disk with its bulge and an optional dust lane; returns its scale length. */
  private double drawEdgeOn(SyntheticGalaxy g, SplittableRandom r, double cx, double cy, double h) {
    // A dust lane shows when the disk is tilted a little from exactly edge-on, so it is resolved.
    double q = g.oddFeature() == OddFeature.DUST_LANE ? between(r, 0.2, 0.3) : between(r, 0.09, 0.2);
    double pa = between(r, 0, Math.PI);
    // Seen edge-on the disk's light piles up along the line of sight: brighter than face-on.
    double i0 = between(r, 22, 50) * Math.min(3, 0.35 / q);
    RadialProfile profile = RadialProfile.exponential(h, Math.min(5 * h, 0.45 * size));
    double diskFlux = profile.flux() * i0 * q;
    // Edge-on disks, like face-on ones, from red to blue (many real edge-on disks are blue).
    canvas.addElliptical(cx, cy, profile, i0, q, pa, 0, DISK.mix(ARMS, between(r, -0.1, 0.8)));
    EdgeOnBulge shape = g.edgeOnBulge();
    if (shape != EdgeOnBulge.NO_BULGE) {
      boolean boxy = shape == EdgeOnBulge.BOXY;
      double bt = boxy ? between(r, 0.2, 0.3) : between(r, 0.15, 0.35);
      double re = h * between(r, 0.3, 0.45);
      RadialProfile bulge = RadialProfile.sersic(boxy ? between(r, 0.8, 1.3) : between(r, 2, 3), re, Math.min(7 * re, 0.45 * size));
      double bq = boxy ? between(r, 0.55, 0.7) : between(r, 0.7, 0.9);
      double bulgeFlux = diskFlux * bt / (1 - bt);
      canvas.addElliptical(cx, cy, bulge, bulgeFlux / (bulge.flux() * bq), bq, pa, boxy ? between(r, 0.5, 0.7) : 0, BULGE);
    }
    switch (g.oddFeature()) {
      case DUST_LANE -> canvas.applyDustLane(cx, cy, pa, 4 * h, between(r, -0.3, 0.3) * h * q,
          Math.max(1.3 * scale, 0.3 * h * q), between(r, 0.85, 0.97));
      case DISTURBED -> drawTail(r, cx, cy, pa + between(r, -0.5, 0.5) + (r.nextBoolean() ? 0 : Math.PI),
          3 * h, diskFlux * 0.08, DISK);
      case OTHER -> drawKnot(r, cx, cy, h, diskFlux);
      default -> { }
    }
    return h;
  }

  /** A bright star with diffraction spikes, or a satellite trail, through the centre. */
  private double drawArtifact(SyntheticGalaxy g, SplittableRandom r, double cx, double cy) {
    if (g.artifact() == Artifact.STAR) {
      Colour c = starColour(r);
      double flux = between(r, 2e4, 1e5);
      canvas.addBlob(cx, cy, 0.6 * scale, flux, c);
      canvas.addBlob(cx, cy, between(r, 4, 7) * scale, flux * 0.06, c);
      double spikePa = between(r, -0.15, 0.15);
      double length = between(r, 35, 80) * scale;
      double peak = between(r, 40, 120);
      canvas.addLine(cx, cy, spikePa, length, 0.7 * scale, peak, true, c);
      canvas.addLine(cx, cy, spikePa + Math.PI / 2, length, 0.7 * scale, peak, true, c);
      return 6 * scale;
    }
    Colour[] trailColours = {
      Colour.of(0.3, 1.6, 0.3), Colour.of(1.6, 0.35, 0.3), Colour.of(0.3, 0.4, 1.6), Colour.of(1, 1, 1)
    };
    canvas.addLine(cx, cy, between(r, 0, Math.PI), size, between(r, 0.9, 1.8) * scale, between(r, 15, 50), false,
        trailColours[r.nextInt(trailColours.length)]);
    return 6 * scale;
  }

  /** The second galaxy of a merger, with tidal tails and a bridge. */
  private void drawCompanion(SplittableRandom r, double cx, double cy, double primarySize) {
    double angle = between(r, 0, 2 * Math.PI);
    double companionSize = primarySize * between(r, 0.5, 1.0);
    // Close enough to stay inside ingest's centre crop (207 of 424 px): with galaxies the size of
    // real cutouts' (twice the first generator's), a wider pair would be cropped out of its merger.
    double distance = Math.min(between(r, 0.8, 1.6) * (primarySize + companionSize), 0.17 * size);
    double ox = cx + distance * StrictMath.cos(angle);
    double oy = cy + distance * StrictMath.sin(angle);
    double brightness = between(r, 0.5, 1.0);
    SyntheticGalaxy companion = new SyntheticGalaxy(0, r.nextLong(),
        r.nextBoolean() ? Morphology.SMOOTH : Morphology.DISK, SyntheticGalaxy.Roundness.IN_BETWEEN, null,
        false, 0, null, SyntheticGalaxy.BulgeProminence.OBVIOUS, OddFeature.NONE, false, null);
    double totalFlux;
    if (companion.morphology() == Morphology.SMOOTH) {
      drawSmooth(companion, r, ox, oy, companionSize, brightness);
      totalFlux = 2 * Math.PI * companionSize * companionSize * 20 * brightness;
    } else {
      drawDisk(companion, r, ox, oy, companionSize, brightness);
      totalFlux = 2 * Math.PI * companionSize * companionSize * 40 * brightness;
    }
    // Tidal tails leave each galaxy on the far side from the other; a faint bridge joins them.
    double curl = between(r, 0.6, 1.4) * (r.nextBoolean() ? 1 : -1);
    drawCurvedTail(r, cx, cy, angle + Math.PI, curl, between(r, 2, 3.2) * primarySize, totalFlux * 0.35, DISK);
    drawCurvedTail(r, ox, oy, angle, curl, between(r, 1.6, 2.8) * companionSize, totalFlux * 0.3, DISK);
    int bridge = 8;
    for (int i = 1; i < bridge; i++) {
      double t = (double) i / bridge;
      canvas.addBlob(cx + (ox - cx) * t, cy + (oy - cy) * t, 0.35 * primarySize, totalFlux * 0.02, DISK);
    }
  }

  /**
   * A galaxy near the target that does not interact with it: no tails, no bridge, at the
   * distances of merging companions (inside ingest's centre crop), smaller and often fainter.
   */
  private void drawNeighbour(SplittableRandom r, double cx, double cy) {
    double angle = between(r, 0, 2 * Math.PI);
    double distance = between(r, 0.15, 0.23) * size;
    double ox = cx + distance * StrictMath.cos(angle);
    double oy = cy + distance * StrictMath.sin(angle);
    // A third of them about as large as the target: real spirals often share their cutout with a
    // galaxy of their own size that does not interact (a projected pair), and a model that had only
    // seen such pairs as mergers ranked those spirals among the least spiral of the real sample.
    double neighbourSize = (r.nextDouble() < LARGE_NEIGHBOUR ? between(r, 12, 26) : between(r, 4, 14)) * scale;
    double brightness = between(r, 0.3, 1.0);
    SyntheticGalaxy neighbour = new SyntheticGalaxy(0, r.nextLong(),
        r.nextBoolean() ? Morphology.SMOOTH : Morphology.DISK, SyntheticGalaxy.Roundness.IN_BETWEEN, null,
        false, 0, null, SyntheticGalaxy.BulgeProminence.OBVIOUS, OddFeature.NONE, false, null);
    if (neighbour.morphology() == Morphology.SMOOTH) {
      drawSmooth(neighbour, r, ox, oy, neighbourSize, brightness);
    } else {
      drawDisk(neighbour, r, ox, oy, neighbourSize, brightness);
    }
  }

  /** Blue star-forming knots on the crests of a disk's arms, between the arms' start and the disk's edge. */
  private void drawArmKnots(SplittableRandom r, double cx, double cy, double q, double pa, int arms, double tanPitch,
      double armPhase, double armStart, double rMax, double h, int count, double diskFlux) {
    double cos = StrictMath.cos(pa);
    double sin = StrictMath.sin(pa);
    double inner = Math.max(armStart, 0.5 * h);
    double outer = Math.min(rMax, 2.5 * h);
    if (outer <= inner) {
      return;
    }
    for (int i = 0; i < count; i++) {
      double rad = between(r, inner, outer);
      int arm = r.nextInt(arms);
      double theta = (2 * Math.PI * arm - armPhase) / arms + StrictMath.log(rad) / tanPitch;
      double u = rad * StrictMath.cos(theta);
      double v = rad * StrictMath.sin(theta) * q;
      canvas.addBlob(cx + u * cos - v * sin, cy + u * sin + v * cos, between(r, 3, 7) * scale,
          diskFlux * between(r, 0.003, 0.012), KNOTS);
    }
  }

  /** A plume of faint light leaving (cx, cy) in direction {@code angle}. */
  private void drawTail(SplittableRandom r, double cx, double cy, double angle, double length, double flux, Colour c) {
    drawCurvedTail(r, cx, cy, angle, between(r, -0.8, 0.8), length, flux, c);
  }

  /** A chain of widening, fading blobs along a curving path (cheaper than a smooth tail model). */
  private void drawCurvedTail(SplittableRandom r, double cx, double cy, double angle, double curl, double length,
      double flux, Colour c) {
    int blobs = 12;
    double weightSum = 0;
    for (int i = 0; i < blobs; i++) {
      weightSum += 1 - 0.7 * i / blobs;
    }
    for (int i = 0; i < blobs; i++) {
      double t = 0.25 + 0.75 * i / (blobs - 1);
      double a = angle + curl * t * t;
      double x = cx + length * t * StrictMath.cos(a);
      double y = cy + length * t * StrictMath.sin(a);
      double w = (1 - 0.7 * i / blobs) / weightSum;
      canvas.addBlob(x, y, length * (0.06 + 0.08 * t), flux * w * between(r, 0.8, 1.2), c);
    }
  }

  /** Concentric arcs alternating in side: the shells of a disturbed elliptical. */
  private void drawShells(SplittableRandom r, double cx, double cy, double re, double ie) {
    double axis = between(r, 0, 2 * Math.PI);
    int shells = 2 + r.nextInt(2);
    for (int i = 0; i < shells; i++) {
      double radius = re * (2.0 + 1.3 * i) * between(r, 0.9, 1.1);
      canvas.addRing(cx, cy, radius, re * 0.25, ie * between(r, 0.15, 0.3), 1, 0,
          axis + (i % 2 == 0 ? 0 : Math.PI), between(r, 0.6, 1.0), BULGE.mix(DISK, 0.5));
    }
  }

  /** Blue star-forming clumps scattered over the disk: an irregular galaxy. */
  private void drawClumps(SplittableRandom r, double cx, double cy, double h, double q, double pa, double diskFlux) {
    int clumps = 6 + r.nextInt(9);
    double cos = StrictMath.cos(pa);
    double sin = StrictMath.sin(pa);
    for (int i = 0; i < clumps; i++) {
      double rad = h * between(r, 0.2, 2.2);
      double a = between(r, 0, 2 * Math.PI);
      double u = rad * StrictMath.cos(a);
      double v = rad * StrictMath.sin(a) * q;
      canvas.addBlob(cx + u * cos - v * sin, cy + u * sin + v * cos, between(r, 1.2, 3.5) * scale,
          diskFlux * between(r, 0.03, 0.08), ARMS);
    }
  }

  /** A bright compact knot (or foreground star) projected on the galaxy: an "other" odd feature. */
  private void drawKnot(SplittableRandom r, double cx, double cy, double radius, double galaxyFlux) {
    double a = between(r, 0, 2 * Math.PI);
    double d = radius * between(r, 0.8, 1.8);
    canvas.addBlob(cx + d * StrictMath.cos(a), cy + d * StrictMath.sin(a), 0.5 * scale, galaxyFlux * between(r, 0.06, 0.15),
        starColour(r));
  }

  /**
   * Field stars, small background galaxies and, in a third of the frames, a larger neighbour that
   * does not interact (drawn after the PSF blur). Real cutouts hold dozens of other sources
   * (median 46 above 5 sigma in gz synth --compare-real), often inside the central crop: a model
   * must learn that a second object alone is not a merger.
   */
  private void drawFieldObjects(SplittableRandom r, double psf) {
    // Star counts vary with galactic latitude: a mean between 15 and 120 per frame, log-uniform.
    int count = poisson(r, StrictMath.exp(between(r, StrictMath.log(15), StrictMath.log(120))));
    double minRadius = 0.12 * size;
    for (int i = 0; i < count; i++) {
      double[] at = awayFromCentre(r, minRadius);
      // log-uniform flux: most field objects are faint
      double flux = StrictMath.pow(10, between(r, 1.0, 4.0)) * scale * scale;
      if (r.nextDouble() < 0.6) {
        canvas.addBlob(at[0], at[1], psf, flux, starColour(r));
      } else {
        canvas.addBlob(at[0], at[1], between(r, 1.6, 4.5) * scale, flux, BULGE.mix(DISK, r.nextDouble()));
      }
    }
    if (r.nextDouble() < 1 / 3.0) {
      double[] at = awayFromCentre(r, 0.2 * size);
      double radius = between(r, 4, 12) * scale;
      canvas.addBlob(at[0], at[1], radius, between(r, 3e3, 3e4) * scale * scale, BULGE.mix(DISK, r.nextDouble()));
    }
  }

  /** A uniform position in the frame at least {@code minRadius} from its centre. */
  private double[] awayFromCentre(SplittableRandom r, double minRadius) {
    double x;
    double y;
    do {
      x = between(r, 0, size);
      y = between(r, 0, size);
    } while (StrictMath.hypot(x - size / 2.0, y - size / 2.0) < minRadius);
    return new double[] {x, y};
  }

  /** The angle in the disk plane of a direction at sky position angle {@code skyPa}. */
  private static double inPlaneAngle(double skyPa, double diskPa, double q) {
    double dx = StrictMath.cos(skyPa);
    double dy = StrictMath.sin(skyPa);
    double u = dx * StrictMath.cos(diskPa) + dy * StrictMath.sin(diskPa);
    double v = (dy * StrictMath.cos(diskPa) - dx * StrictMath.sin(diskPa)) / q;
    return StrictMath.atan2(v, u);
  }

  /** From red M dwarfs to blue A stars, as the field stars of real cutouts. */
  private static Colour starColour(SplittableRandom r) {
    double t = r.nextDouble();
    return Colour.of(1.6, 0.95, 0.45).mix(Colour.of(0.75, 0.95, 1.4), t);
  }

  private static double between(SplittableRandom r, double lo, double hi) {
    return lo + (hi - lo) * r.nextDouble();
  }

  private static int poisson(SplittableRandom r, double mean) {
    double limit = StrictMath.exp(-mean);
    double p = r.nextDouble();
    int k = 0;
    while (p > limit) {
      p *= r.nextDouble();
      k++;
    }
    return k;
  }
}
