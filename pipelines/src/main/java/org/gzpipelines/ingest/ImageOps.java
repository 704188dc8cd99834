package org.gzpipelines.ingest;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The image operations of ingest: decode, mirror, rotate, centre-crop, area-averaging resize and
 * conversion to the uint8 HWC RGB bytes of a {@link org.gzpipelines.schemas.Galaxy} record.
 */
public final class ImageOps {

  static {
    // ImageIO's default disk cache writes a temp file per decode stream: pure overhead in memory.
    ImageIO.setUseCache(false);
  }

  private ImageOps() {}

  /**
   * Decodes JPEG (or PNG) bytes; throws with a readable message when the bytes are no image or the
   * decoder reports damage. A truncated JPEG does not fail {@code ImageIO.read}: the decoder only
   * warns ("Premature end of JPEG file") and fills the missing rows with grey, so warnings count
   * as errors here.
   */
  public static BufferedImage decode(byte[] bytes) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IOException("not a JPEG or PNG image (no ImageIO reader recognises its header)");
      }
      ImageReader reader = readers.next();
      List<String> warnings = new ArrayList<>();
      try {
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        reader.setInput(in, true, true);
        BufferedImage image = reader.read(0);
        if (!warnings.isEmpty()) {
          throw new IOException("damaged image data: " + String.join("; ", warnings));
        }
        return image;
      } finally {
        reader.dispose();
      }
    }
  }

  /** Number of colour channels of a decoded image (3 for RGB, 1 for greyscale, 4 with alpha). */
  public static int channels(BufferedImage image) {
    return image.getColorModel().getNumComponents();
  }

  /** The image mirrored left-right. */
  public static BufferedImage mirror(BufferedImage image) {
    AffineTransform flip = new AffineTransform(-1, 0, 0, 1, image.getWidth(), 0);
    return transform(image, flip, image.getWidth(), image.getHeight());
  }

  /**
   * The image rotated counter-clockwise (as seen on screen) by {@code degrees} about its centre,
   * same size, bilinear interpolation; corners that come from outside the source are black.
   */
  public static BufferedImage rotate(BufferedImage image, double degrees) {
    // Screen y points down, so a positive Java2D angle turns clockwise on screen: negate it.
    AffineTransform rotation =
        AffineTransform.getRotateInstance(
            -Math.toRadians(degrees), image.getWidth() / 2.0, image.getHeight() / 2.0);
    return transform(image, rotation, image.getWidth(), image.getHeight());
  }

  /** The central {@code size} x {@code size} square (a view sharing the source's pixels). */
  public static BufferedImage centerCrop(BufferedImage image, int size) {
    if (size > image.getWidth() || size > image.getHeight()) {
      throw new IllegalArgumentException(
          "crop " + size + " is larger than the image " + image.getWidth() + "x" + image.getHeight());
    }
    return image.getSubimage(
        (image.getWidth() - size) / 2, (image.getHeight() - size) / 2, size, size);
  }

  /**
   * Resizes an RGB image to {@code width} x {@code height} by area averaging (every output pixel
   * is the coverage-weighted mean of the source pixels under it) and returns uint8 HWC RGB bytes.
   *
   * <p>Hand-written rather than Java2D because Java2D's only area-averaging path ({@code
   * getScaledInstance(SCALE_AREA_AVERAGING)}) runs through the slow ImageProducer pipeline, and
   * its bilinear {@code drawImage} aliases badly at 3x and larger reductions (it samples 4
   * pixels). This separable box filter is exact for integer factors such as 207 -> 69.
   */
  public static byte[] resizeToHwc(BufferedImage image, int width, int height) {
    int srcW = image.getWidth();
    int srcH = image.getHeight();
    int[] src = rgbSamples(image);
    Footprint xs = Footprint.of(srcW, width);
    Footprint ys = Footprint.of(srcH, height);
    // Horizontal pass: srcH rows x width columns x 3 channels.
    float[] rows = new float[srcH * width * 3];
    for (int y = 0; y < srcH; y++) {
      int rowBase = y * srcW * 3;
      for (int ox = 0; ox < width; ox++) {
        float r = 0, g = 0, b = 0;
        for (int k = 0; k < xs.count[ox]; k++) {
          int s = rowBase + (xs.first[ox] + k) * 3;
          float w = xs.weights[ox][k];
          r += w * src[s];
          g += w * src[s + 1];
          b += w * src[s + 2];
        }
        int d = (y * width + ox) * 3;
        rows[d] = r;
        rows[d + 1] = g;
        rows[d + 2] = b;
      }
    }
    // Vertical pass.
    byte[] out = new byte[height * width * 3];
    for (int oy = 0; oy < height; oy++) {
      for (int ox = 0; ox < width; ox++) {
        float r = 0, g = 0, b = 0;
        for (int k = 0; k < ys.count[oy]; k++) {
          int s = ((ys.first[oy] + k) * width + ox) * 3;
          float w = ys.weights[oy][k];
          r += w * rows[s];
          g += w * rows[s + 1];
          b += w * rows[s + 2];
        }
        int d = (oy * width + ox) * 3;
        out[d] = toByte(r);
        out[d + 1] = toByte(g);
        out[d + 2] = toByte(b);
      }
    }
    return out;
  }

  /** The pixels of an RGB image as uint8 HWC bytes, without resizing. */
  public static byte[] toHwcBytes(BufferedImage image) {
    int[] samples = rgbSamples(image);
    byte[] out = new byte[samples.length];
    for (int i = 0; i < samples.length; i++) {
      out[i] = (byte) samples[i];
    }
    return out;
  }

  /** R, G, B samples row-major; the raster's bands are in the colour model's R, G, B order. */
  private static int[] rgbSamples(BufferedImage image) {
    if (channels(image) != 3) {
      throw new IllegalArgumentException("expected an RGB image, got " + channels(image) + " channels");
    }
    Raster raster = image.getRaster();
    // A sub-image's raster keeps the parent's coordinates: read it at its own origin.
    return raster.getPixels(raster.getMinX(), raster.getMinY(), image.getWidth(), image.getHeight(), (int[]) null);
  }

  private static BufferedImage transform(BufferedImage image, AffineTransform t, int w, int h) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(image, t, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static byte toByte(float v) {
    return (byte) Math.max(0, Math.min(255, Math.round(v)));
  }

  /** For each output index: the first source index it covers and the weights of those sources. */
  private record Footprint(int[] first, int[] count, float[][] weights) {
    static Footprint of(int srcSize, int outSize) {
      double scale = (double) srcSize / outSize;
      int[] first = new int[outSize];
      int[] count = new int[outSize];
      float[][] weights = new float[outSize][];
      for (int o = 0; o < outSize; o++) {
        double lo = o * scale;
        double hi = Math.min(srcSize, (o + 1) * scale);
        int a = (int) Math.floor(lo);
        int b = Math.min(srcSize, (int) Math.ceil(hi));
        first[o] = a;
        count[o] = b - a;
        weights[o] = new float[b - a];
        for (int s = a; s < b; s++) {
          double overlap = Math.min(hi, s + 1) - Math.max(lo, s);
          weights[o][s - a] = (float) (overlap / (hi - lo));
        }
      }
      return new Footprint(first, count, weights);
    }
  }
}
