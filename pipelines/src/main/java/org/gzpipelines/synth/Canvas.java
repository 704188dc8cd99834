package org.gzpipelines.synth;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Linear light of one frame: a float buffer per colour channel in units of the sky noise, plus
 * the drawing primitives the renderer composes a galaxy from. Each primitive visits only the box
 * where it is non-zero and grows a "dirty box", so the PSF blur touches only the object.
 *
 * <p>Coordinates are continuous pixels: pixel (i, j) covers [i, i+1) x [j, j+1) and is sampled at
 * its centre (i + 0.5, j + 0.5); the frame centre is (size/2, size/2). Not thread-safe: one per
 * worker thread, reused from frame to frame.
 */
final class Canvas {

  /** An RGB colour weight (linear light per unit intensity). */
  record Colour(float r, float g, float b) {
    static Colour of(double r, double g, double b) {
      return new Colour((float) r, (float) g, (float) b);
    }

    Colour mix(Colour o, double t) {
      return of(r + (o.r - r) * t, g + (o.g - g) * t, b + (o.b - b) * t);
    }
  }

  final int size;
  final float[] red;
  final float[] green;
  final float[] blue;
  private final float[] scratch;
  private final SkyGrain grain;
  private int boxX0;
  private int boxY0;
  private int boxX1;
  private int boxY1;

  Canvas(int size, SkyGrain grain) {
    this.size = size;
    this.grain = grain;
    int n = size * size;
    red = new float[n];
    green = new float[n];
    blue = new float[n];
    scratch = new float[n];
    clear();
  }

  void clear() {
    Arrays.fill(red, 0);
    Arrays.fill(green, 0);
    Arrays.fill(blue, 0);
    boxX0 = size;
    boxY0 = size;
    boxX1 = 0;
    boxY1 = 0;
  }

  /** Pixel-index box [x0, x1) x [y0, y1) covering the disc of radius r around (cx, cy), clipped. */
  private int[] box(double cx, double cy, double rx, double ry) {
    int x0 = Math.max(0, (int) Math.floor(cx - rx));
    int y0 = Math.max(0, (int) Math.floor(cy - ry));
    int x1 = Math.min(size, (int) Math.ceil(cx + rx) + 1);
    int y1 = Math.min(size, (int) Math.ceil(cy + ry) + 1);
    if (x0 < x1 && y0 < y1) {
      boxX0 = Math.min(boxX0, x0);
      boxY0 = Math.min(boxY0, y0);
      boxX1 = Math.max(boxX1, x1);
      boxY1 = Math.max(boxY1, y1);
    }
    return new int[] {x0, y0, x1, y1};
  }

  /** Box of an ellipse of semi-major axis a, axis ratio q, position angle pa (cos, sin) around (cx, cy). */
  private int[] ellipseBox(double cx, double cy, double a, double q, double cos, double sin) {
    double rx = a * Math.sqrt(cos * cos + q * q * sin * sin);
    double ry = a * Math.sqrt(sin * sin + q * q * cos * cos);
    return box(cx, cy, rx + 1, ry + 1);
  }

  private void add(int i, double v, Colour c) {
    red[i] += (float) (v * c.r);
    green[i] += (float) (v * c.g);
    blue[i] += (float) (v * c.b);
  }

  /**
   * An elliptical profile: {@code amplitude * p(R)} with R the elliptical radius for axis ratio q
   * and position angle pa; {@code boxiness} in [0, 1] blends towards a rectangular isophote.
   */
  void addElliptical(double cx, double cy, RadialProfile p, double amplitude, double q, double pa,
      double boxiness, Colour c) {
    double cos = StrictMath.cos(pa);
    double sin = StrictMath.sin(pa);
    double invQ = 1 / q;
    // A boxy isophote reaches sqrt(2) further along the diagonal than the ellipse.
    int[] b = ellipseBox(cx, cy, p.rMax() * (boxiness > 0 ? Math.sqrt(2) : 1), Math.min(1, q * (boxiness > 0 ? 1.5 : 1)), cos, sin);
    for (int y = b[1]; y < b[3]; y++) {
      double dy = y + 0.5 - cy;
      int row = y * size;
      for (int x = b[0]; x < b[2]; x++) {
        double dx = x + 0.5 - cx;
        double u = dx * cos + dy * sin;
        double v = (dy * cos - dx * sin) * invQ;
        double r = Math.sqrt(u * u + v * v);
        if (boxiness > 0) {
          r = (1 - boxiness) * r + boxiness * Math.max(Math.abs(u), Math.abs(v));
        }
        double value = p.at(r);
        if (value > 0) {
          add(row + x, amplitude * value, c);
        }
      }
    }
  }

  /**
   * How a disk looks: its profile and, optionally, spiral arms and a lopsided warp. {@code armWidth}
   * picks the arm cross-section (0: narrow, 1: medium, 2: broad, see {@link #ARM_SHAPES});
   * {@code flocculence} in [0, 1) breaks each arm into brighter and fainter stretches along its
   * length, {@code armBeads} of them per unit of ln r, with phases from {@code armSeed}; beyond
   * {@code armEnd} the arms fade as (armEnd / r)^4 into the disk. {@code armImbalance} in [0, 1)
   * makes the arms unequal: each arm's strength is 1 + armImbalance * cos(a phase from armSeed and
   * the arm's index), so the pattern is not m-fold symmetric.
   */
  record Disk(double cx, double cy, RadialProfile profile, double amplitude, double q, double pa, Colour colour,
      int arms, double tanPitch, double armPhase, double armStrength, double armStart, Colour armColour,
      double lopsidedness, int armWidth, double flocculence, double armBeads, double armSeed, double armEnd,
      double armImbalance) {}

  /**
   * Arm cross-sections over one arm period: ((1 + cos psi) / 2)^k for k = 4, 2, 1, each
   * normalised to mean 1. Real arms at the 69-pixel input are broad, low-contrast bands more often
   * than the narrow ridges of k = 4.
   */
  private static final int ARM_STEPS = 1024;
  private static final float[][] ARM_SHAPES = {armShape(4), armShape(2), armShape(1)};
  /** cos over one period, for the flocculent modulation along an arm. */
  private static final float[] COS = new float[ARM_STEPS];

  static {
    for (int i = 0; i < ARM_STEPS; i++) {
      COS[i] = (float) StrictMath.cos(2 * Math.PI * i / ARM_STEPS);
    }
  }

  private static float[] armShape(int power) {
    double sum = 0;
    double[] v = new double[ARM_STEPS];
    for (int i = 0; i < ARM_STEPS; i++) {
      double c = (1 + StrictMath.cos(2 * Math.PI * i / ARM_STEPS)) / 2;
      v[i] = StrictMath.pow(c, power);
      sum += v[i];
    }
    float[] shape = new float[ARM_STEPS];
    for (int i = 0; i < ARM_STEPS; i++) {
      shape[i] = (float) (v[i] * ARM_STEPS / sum);
    }
    return shape;
  }

  /**
   * An inclined exponential disk; with arms, a fraction {@code armStrength} of its light (outside
   * {@code armStart}) is moved into {@code arms} logarithmic spiral arms, psi = m(theta - ln r / tan pitch).
   * A flocculent disk's arm light is modulated by 1 + f cos(beads ln r + phase of the arm): arms
   * broken into segments, as star formation lights real arms in patches.
   */
  void addDisk(Disk d) {
    double cos = StrictMath.cos(d.pa);
    double sin = StrictMath.sin(d.pa);
    double invQ = 1 / d.q;
    double rMax = d.profile.rMax();
    double invTan = d.arms > 0 ? 1 / d.tanPitch : 0;
    double armStart2 = d.armStart * d.armStart;
    double armEnd2 = d.armEnd * d.armEnd;
    double psiScale = ARM_STEPS / (2 * Math.PI);
    float[] shape = ARM_SHAPES[d.armWidth];
    // A lopsided disk's isophotes are shifted by up to lopsidedness * rMax along its major axis.
    int[] b = ellipseBox(d.cx, d.cy, rMax * (1 + Math.abs(d.lopsidedness)), Math.min(1, d.q * (1 + Math.abs(d.lopsidedness))), cos, sin);
    for (int y = b[1]; y < b[3]; y++) {
      double dy = y + 0.5 - d.cy;
      int row = y * size;
      for (int x = b[0]; x < b[2]; x++) {
        double dx = x + 0.5 - d.cx;
        double u = dx * cos + dy * sin;
        double v = (dy * cos - dx * sin) * invQ;
        double r2 = u * u + v * v;
        if (d.lopsidedness != 0) {
          // Shift the outer isophotes to one side: a cheap picture of a disturbed disk.
          u -= d.lopsidedness * Math.min(r2, rMax * rMax) / rMax;
          r2 = u * u + v * v;
        }
        double r = Math.sqrt(r2);
        double value = d.amplitude * d.profile.at(r);
        if (value <= 0) {
          continue;
        }
        if (d.arms == 0) {
          add(row + x, value, d.colour);
          continue;
        }
        double fade = armEnd2 / r2;
        double ramp = r2 >= armStart2 ? (r2 <= armEnd2 ? 1 : fade * fade) : r2 / armStart2;
        double strength = d.armStrength * ramp;
        double lnR = FastMath.log(r);
        double psi = d.arms * (FastMath.atan2(v, u) - lnR * invTan) + d.armPhase;
        int steps = (int) (psi * psiScale + (1 << 24));
        int k = steps & (ARM_STEPS - 1);
        double arm = value * strength * shape[k];
        // Which arm this pixel belongs to (the arm period it falls in), so each arm gets its own
        // strength and beads (modulo the arm count: where atan2 wraps, psi jumps by whole arm
        // periods times arms).
        int armIndex = Math.floorMod((steps + ARM_STEPS / 2) >> 10, d.arms);
        if (d.armImbalance > 0) {
          arm *= 1 + d.armImbalance * COS[((int) ((d.armSeed + 2.4 * armIndex) * psiScale + (1 << 24))) & (ARM_STEPS - 1)];
        }
        if (d.flocculence > 0) {
          double beadPhase = d.armBeads * lnR + d.armSeed * (1 + armIndex);
          int c = ((int) (beadPhase * psiScale + (1 << 24))) & (ARM_STEPS - 1);
          arm *= 1 + d.flocculence * COS[c];
        }
        int i = row + x;
        double base = value * (1 - strength);
        red[i] += (float) (base * d.colour.r + arm * d.armColour.r);
        green[i] += (float) (base * d.colour.g + arm * d.armColour.g);
        blue[i] += (float) (base * d.colour.b + arm * d.armColour.b);
      }
    }
  }

  /**
   * A ring (or, with {@code arcHalfAngle < pi}, an arc centred on angle {@code arcAngle}) of
   * radius {@code radius} and Gaussian width, in a plane with axis ratio q and position angle pa.
   */
  void addRing(double cx, double cy, double radius, double width, double peak, double q, double pa,
      double arcAngle, double arcHalfAngle, Colour c) {
    double cos = StrictMath.cos(pa);
    double sin = StrictMath.sin(pa);
    double invQ = 1 / q;
    double reach = radius + 4 * width;
    double ax = StrictMath.cos(arcAngle);
    double ay = StrictMath.sin(arcAngle);
    double cosHalf = StrictMath.cos(arcHalfAngle);
    boolean arc = arcHalfAngle < Math.PI;
    double invW2 = 1 / (width * width);
    int[] b = box(cx, cy, reach, reach);
    for (int y = b[1]; y < b[3]; y++) {
      double dy = y + 0.5 - cy;
      int row = y * size;
      for (int x = b[0]; x < b[2]; x++) {
        double dx = x + 0.5 - cx;
        double u = dx * cos + dy * sin;
        double v = (dy * cos - dx * sin) * invQ;
        double r = Math.sqrt(u * u + v * v);
        double d = r - radius;
        double value = peak * FastMath.expNeg(d * d * invW2);
        if (value <= 0) {
          continue;
        }
        if (arc) {
          // Fade out towards the arc's ends: a cosine window in angle, no trig per pixel.
          double cosAngle = r > 0 ? (u * ax + v * ay) / r : 1;
          double w = (cosAngle - cosHalf) / (1 - cosHalf);
          if (w <= 0) {
            continue;
          }
          value *= Math.min(1, 3 * w);
        }
        add(row + x, value, c);
      }
    }
  }

  /** A round Gaussian blob of total flux {@code flux} and width sigma (stars, clumps, tails). */
  void addBlob(double cx, double cy, double sigma, double flux, Colour c) {
    double peak = flux / (2 * Math.PI * sigma * sigma);
    double inv2s2 = 1 / (2 * sigma * sigma);
    double reach = 4.5 * sigma;
    int[] b = box(cx, cy, reach, reach);
    for (int y = b[1]; y < b[3]; y++) {
      double dy = y + 0.5 - cy;
      double dy2 = dy * dy;
      int row = y * size;
      for (int x = b[0]; x < b[2]; x++) {
        double dx = x + 0.5 - cx;
        double value = peak * FastMath.expNeg((dx * dx + dy2) * inv2s2);
        if (value > 0) {
          add(row + x, value, c);
        }
      }
    }
  }

  /**
   * A straight line through (cx, cy) at angle pa, of half-length {@code halfLength} and Gaussian
   * half-width {@code width}: satellite trails and diffraction spikes (which fade along their length).
   */
  void addLine(double cx, double cy, double pa, double halfLength, double width, double peak, boolean fading,
      Colour c) {
    double cos = StrictMath.cos(pa);
    double sin = StrictMath.sin(pa);
    double reachX = Math.abs(cos) * halfLength + 4 * width;
    double reachY = Math.abs(sin) * halfLength + 4 * width;
    double invW2 = 1 / (width * width);
    int[] b = box(cx, cy, reachX, reachY);
    for (int y = b[1]; y < b[3]; y++) {
      double dy = y + 0.5 - cy;
      int row = y * size;
      for (int x = b[0]; x < b[2]; x++) {
        double dx = x + 0.5 - cx;
        double along = Math.abs(dx * cos + dy * sin);
        if (along > halfLength) {
          continue;
        }
        double across = dy * cos - dx * sin;
        double value = peak * FastMath.expNeg(across * across * invW2);
        if (fading) {
          value *= 1 - along / halfLength;
        }
        if (value > 0) {
          add(row + x, value, c);
        }
      }
    }
  }

  /**
   * Dims the light already drawn along a band (a dust lane): multiplies by
   * {@code 1 - depth exp(-((v - offset)/width)^2)} within {@code halfLength} of the centre along pa.
   */
  void applyDustLane(double cx, double cy, double pa, double halfLength, double offset, double width,
      double depth) {
    double cos = StrictMath.cos(pa);
    double sin = StrictMath.sin(pa);
    double invW2 = 1 / (width * width);
    double reach = halfLength + 4 * width + Math.abs(offset);
    int[] b = box(cx, cy, reach, reach);
    for (int y = b[1]; y < b[3]; y++) {
      double dy = y + 0.5 - cy;
      int row = y * size;
      for (int x = b[0]; x < b[2]; x++) {
        double dx = x + 0.5 - cx;
        double along = Math.abs(dx * cos + dy * sin) / halfLength;
        if (along >= 1) {
          continue;
        }
        double across = dy * cos - dx * sin - offset;
        double taper = 1 - along * along;
        float keep = (float) (1 - depth * taper * FastMath.expNeg(across * across * invW2));
        int i = row + x;
        red[i] *= keep;
        green[i] *= keep;
        blue[i] *= keep;
      }
    }
  }

  /**
   * Centroid (x, y), in continuous pixel coordinates, of everything drawn so far as it will look
   * in the 8-bit image: weighted by the stretched brightness above a faint threshold (about 3 sky
   * sigma), the way one measures a centroid on a JPEG, not by linear flux (for a one-armed spiral
   * the two differ by pixels). Only light within {@code radius} of the frame centre counts, as
   * in a centre crop.
   */
  double[] centroid(double radius) {
    double sum = 0;
    double sx = 0;
    double sy = 0;
    int last = STRETCH.length - 1;
    double centre = size / 2.0;
    for (int y = boxY0; y < boxY1; y++) {
      int row = y * size;
      double dy = y + 0.5 - centre;
      for (int x = boxX0; x < boxX1; x++) {
        double dx = x + 0.5 - centre;
        if (dx * dx + dy * dy > radius * radius) {
          continue;
        }
        int i = row + x;
        float intensity = (red[i] + green[i] + blue[i]) * (1 / 3f);
        if (intensity <= 0) {
          continue;
        }
        double w = intensity * STRETCH[Math.min(last, (int) (intensity * STRETCH_STEPS_PER_UNIT))] - CENTROID_THRESHOLD;
        if (w > 0) {
          sum += w;
          sx += w * (x + 0.5);
          sy += w * (y + 0.5);
        }
      }
    }
    return sum > 0 ? new double[] {sx / sum, sy / sum} : new double[] {size / 2.0, size / 2.0};
  }

  /**
   * Convolves what was drawn with a round Gaussian PSF of width sigma (separable, dirty box only)
   * centred at (shiftX, shiftY): the same pass moves the light by a sub-pixel shift for free.
   */
  void blur(double sigma, double shiftX, double shiftY) {
    if (boxX1 <= boxX0 || sigma <= 0) {
      return;
    }
    int radius = (int) Math.ceil(2.5 * sigma + Math.max(Math.abs(shiftX), Math.abs(shiftY)));
    float[] kernelX = kernel(sigma, shiftX, radius);
    float[] kernelY = kernel(sigma, shiftY, radius);
    int x0 = Math.max(0, boxX0 - radius);
    int x1 = Math.min(size, boxX1 + radius);
    int y0 = Math.max(0, boxY0 - radius);
    int y1 = Math.min(size, boxY1 + radius);
    // Loops run along rows with the kernel tap outermost, so the JIT can vectorise them.
    for (float[] channel : new float[][] {red, green, blue}) {
      for (int y = boxY0; y < boxY1; y++) {
        int row = y * size;
        Arrays.fill(scratch, row + x0, row + x1, 0f);
        for (int k = -radius; k <= radius; k++) {
          float w = kernelX[k + radius];
          int xs = Math.max(x0, -k);
          int xe = Math.min(x1, size - k);
          for (int x = xs; x < xe; x++) {
            scratch[row + x] += w * channel[row + x + k];
          }
        }
      }
      for (int y = y0; y < y1; y++) {
        int row = y * size;
        Arrays.fill(channel, row + x0, row + x1, 0f);
        for (int k = -radius; k <= radius; k++) {
          int yy = y + k;
          if (yy < boxY0 || yy >= boxY1) {
            continue;
          }
          float w = kernelY[k + radius];
          int src = yy * size;
          for (int x = x0; x < x1; x++) {
            channel[row + x] += w * scratch[src + x];
          }
        }
      }
    }
    boxX0 = x0;
    boxX1 = x1;
    boxY0 = y0;
    boxY1 = y1;
  }

  /** Asinh stretch (Lupton et al. 2004, as SDSS colour images): keeps colour, compresses bright cores. */
  private static final double SOFTENING = 8;
  private static final double WHITE = 1200;
  private static final int STRETCH_STEPS_PER_UNIT = 4;
  private static final float[] STRETCH = new float[(int) (2 * WHITE * STRETCH_STEPS_PER_UNIT) + 1];
  /** The brightest sky pedestal ({@link Sky}): the stretch maps WHITE to 255 above it. */
  private static final float TOP_PEDESTAL = 5f;
  /** 8-bit levels above the pedestal below which light does not count towards the centroid. */
  private static final double CENTROID_THRESHOLD = 10;

  static {
    double scale = (255 - TOP_PEDESTAL) / StrictMath.log(WHITE / SOFTENING + Math.sqrt(1 + Math.pow(WHITE / SOFTENING, 2)));
    for (int i = 0; i < STRETCH.length; i++) {
      double intensity = (double) i / STRETCH_STEPS_PER_UNIT;
      double x = intensity / SOFTENING;
      double asinh = StrictMath.log(x + StrictMath.sqrt(1 + x * x));
      STRETCH[i] = (float) (intensity == 0 ? scale / SOFTENING : scale * asinh / intensity);
    }
  }

  /** Taps w[k + radius] of a normalised Gaussian such that out[x] = sum w[k] in[x + k] moves light by +shift. */
  static float[] kernel(double sigma, double shift, int radius) {
    float[] w = new float[2 * radius + 1];
    double sum = 0;
    for (int k = -radius; k <= radius; k++) {
      double d = k + shift;
      sum += w[k + radius] = (float) StrictMath.exp(-d * d / (2 * sigma * sigma));
    }
    for (int k = 0; k < w.length; k++) {
      w[k] /= (float) sum;
    }
    return w;
  }

  /**
   * How much of the noise is common to the three channels. Real cutouts' noise is nearly grey: in
   * their corners the channels' noise correlates at 0.94 (bench/realism-by-class.sh). White noise
   * per channel came out as grey, as the JPEG's halved, coarsely quantised chroma removes it; a
   * grain this coarse survives it, and drawn independently per channel (as SDSS's separate g, r
   * and i exposures would suggest) it correlated at about 0.2 in a trial.
   */
  private static final float COMMON_NOISE = 0.95f;
  private static final float CHANNEL_NOISE = (float) Math.sqrt(1 - COMMON_NOISE * COMMON_NOISE);

  /**
   * Adds the sky's noise (its grain, mostly common to the channels, plus photon noise of the object
   * with the given gain) and pedestal, stretches to 8 bits and writes BGR bytes (the layout of
   * TYPE_3BYTE_BGR) into {@code bgr}.
   */
  void toBgr(byte[] bgr, double gain, Sky sky, SplittableRandom random) {
    float invGain = (float) (1 / gain);
    int tile = sky.grain();
    int[] offsets = new int[8];
    for (int k = 0; k < offsets.length; k++) {
      offsets[k] = random.nextInt();
    }
    for (int y = 0; y < size; y++) {
      int row = y * size;
      for (int x = 0; x < size; x++) {
        int i = row + x;
        float r = red[i];
        float g = green[i];
        float b = blue[i];
        float sum = r + g + b;
        float noise = sky.noise() * (sum > 0 ? (float) Math.sqrt(1 + sum * (1 / 3f) * invGain) : 1);
        float common = COMMON_NOISE * grain.at(tile, x + offsets[0], y + offsets[1]);
        stretchPixel(r + noise * (common + CHANNEL_NOISE * grain.at(tile, x + offsets[2], y + offsets[3])),
            g + noise * (common + CHANNEL_NOISE * grain.at(tile, x + offsets[4], y + offsets[5])),
            b + noise * (common + CHANNEL_NOISE * grain.at(tile, x + offsets[6], y + offsets[7])), sky, bgr, 3 * i);
      }
    }
  }

  /** Stretches one pixel's linear RGB to 8 bits, written as B, G, R at {@code offset}. */
  private static void stretchPixel(float r, float g, float b, Sky sky, byte[] bgr, int offset) {
    float intensity = Math.abs(r + g + b) * (1 / 3f);
    float f = STRETCH[Math.min(STRETCH.length - 1, (int) (intensity * STRETCH_STEPS_PER_UNIT))];
    float or = sky.red() + r * f;
    float og = sky.green() + g * f;
    float ob = sky.blue() + b * f;
    float max = Math.max(or, Math.max(og, ob));
    if (max > 255) {
      // Saturate like SDSS: scale all channels together so the colour survives.
      float s = 255 / max;
      or *= s;
      og *= s;
      ob *= s;
    }
    bgr[offset] = (byte) clamp(ob);
    bgr[offset + 1] = (byte) clamp(og);
    bgr[offset + 2] = (byte) clamp(or);
  }

  private static int clamp(float v) {
    return v <= 0 ? 0 : v >= 255 ? 255 : (int) (v + 0.5f);
  }
}
