package org.gzpipelines.ingest;

import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.color.ColorSpace;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.gzpipelines.schemas.Galaxy;

/**
 * The image operations of ingest: decode, mirror, rotate, centre-crop, area-averaging resize and
 * conversion to the uint8 HWC RGB bytes of a {@link Galaxy} record (and back, for figures).
 */
public final class ImageOps {

  static {
    // ImageIO's default disk cache writes a temp file per decode stream: pure overhead in memory.
    ImageIO.setUseCache(false);
  }

  private ImageOps() {}

  /** A decoded image, or the decoded central square of one, with the full image's size. */
  public record Decoded(BufferedImage image, int fullWidth, int fullHeight) {}

  /** The image formats ingest accepts, by ImageIO's format names: what ImageIO decodes, less the rarities. */
  private static final Set<String> FORMATS = Set.of("jpeg", "png");

  /** Decodes JPEG or PNG bytes completely; see {@link #decodeCentre}. */
  public static BufferedImage decode(byte[] bytes) throws IOException {
    return decodeCentre(bytes, 0).image();
  }

  /**
   * Decodes the central {@code side} x {@code side} square of JPEG or PNG bytes, or the whole
   * image when {@code side} is 0 or not smaller than it. Decoding only the square skips the colour
   * conversion and pixel copies of the rest: a 207 crop of a 424 image is a quarter of its pixels.
   * Where image and square sides differ in parity the square grows by one pixel, so that its centre
   * is exactly the image's centre (rotations about it are rotations about the image centre).
   *
   * <p>The bytes decide the format, whatever the file is named. Other formats ImageIO reads (GIF,
   * BMP, TIFF) are refused, so that "JPEG or PNG" stays the whole rule.
   *
   * <p>Throws with a readable message when the bytes are no image or are damaged. A truncated
   * JPEG does not fail ImageIO: the decoder only warns ("Premature end of JPEG file") and fills
   * the missing rows with grey, so warnings count as errors, and a JPEG must end with its EOI
   * marker (damage below a decoded square would otherwise go unseen).
   */
  public static Decoded decodeCentre(byte[] bytes, int side) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IOException("not a JPEG or PNG image (no ImageIO reader recognises its header)");
      }
      ImageReader reader = readers.next();
      List<String> warnings = new ArrayList<>();
      try {
        String format = reader.getFormatName().toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(format)) {
          throw new IOException("a " + format.toUpperCase(Locale.ROOT) + " image, not JPEG or PNG");
        }
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        reader.setInput(in, true, true);
        if (format.equals("jpeg") && !endsWithJpegEoi(bytes)) {
          throw new IOException("truncated JPEG (" + bytes.length + " bytes, no end-of-image marker)");
        }
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        ImageReadParam param = reader.getDefaultReadParam();
        if (side > 0 && side < width && side < height) {
          int sx = (width - side) % 2 == 0 ? side : side + 1;
          int sy = (height - side) % 2 == 0 ? side : side + 1;
          param.setSourceRegion(new Rectangle((width - sx) / 2, (height - sy) / 2, sx, sy));
        }
        BufferedImage image = reader.read(0, param);
        if (!warnings.isEmpty()) {
          throw new IOException("damaged image data: " + String.join("; ", warnings));
        }
        return new Decoded(image, width, height);
      } finally {
        reader.dispose();
      }
    }
  }

  private static boolean endsWithJpegEoi(byte[] bytes) {
    // Some encoders pad after the marker; look at the last few bytes.
    for (int i = bytes.length - 2; i >= Math.max(0, bytes.length - 64); i--) {
      if ((bytes[i] & 0xff) == 0xff && (bytes[i + 1] & 0xff) == 0xd9) {
        return true;
      }
    }
    return false;
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
   * pixels). Integer factors such as 207 -> 69 take an exact box-sum fast path; other sizes a
   * separable filter with fractional edge weights.
   */
  public static byte[] resizeToHwc(BufferedImage image, int width, int height) {
    int srcW = image.getWidth();
    int srcH = image.getHeight();
    byte[] src = toHwcBytes(image);
    if (srcW == width && srcH == height) {
      return src;
    }
    if (srcW % width == 0 && srcH % height == 0) {
      return boxDownsample(src, srcW, srcW / width, srcH / height, width, height);
    }
    return areaResample(src, srcW, srcH, width, height);
  }

  /** Exact mean of each fx x fy block, rounded half up. */
  private static byte[] boxDownsample(byte[] src, int srcW, int fx, int fy, int width, int height) {
    byte[] out = new byte[width * height * 3];
    int area = fx * fy;
    int[] sums = new int[width * 3];
    for (int oy = 0; oy < height; oy++) {
      java.util.Arrays.fill(sums, 0);
      for (int y = oy * fy; y < (oy + 1) * fy; y++) {
        int row = y * srcW * 3;
        for (int ox = 0; ox < width; ox++) {
          int s = row + ox * fx * 3;
          int d = ox * 3;
          for (int k = 0; k < fx; k++, s += 3) {
            sums[d] += src[s] & 0xff;
            sums[d + 1] += src[s + 1] & 0xff;
            sums[d + 2] += src[s + 2] & 0xff;
          }
        }
      }
      int base = oy * width * 3;
      for (int i = 0; i < sums.length; i++) {
        out[base + i] = (byte) ((sums[i] + area / 2) / area);
      }
    }
    return out;
  }

  private static byte[] areaResample(byte[] src, int srcW, int srcH, int width, int height) {
    Footprint xs = Footprint.of(srcW, width);
    Footprint ys = Footprint.of(srcH, height);
    // Horizontal pass: srcH rows x width columns x 3 channels.
    float[] rows = new float[srcH * width * 3];
    for (int y = 0; y < srcH; y++) {
      int rowBase = y * srcW * 3;
      for (int ox = 0; ox < width; ox++) {
        float r = 0, g = 0, b = 0;
        float[] w = xs.weights[ox];
        for (int k = 0; k < w.length; k++) {
          int s = rowBase + (xs.first[ox] + k) * 3;
          r += w[k] * (src[s] & 0xff);
          g += w[k] * (src[s + 1] & 0xff);
          b += w[k] * (src[s + 2] & 0xff);
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
      float[] w = ys.weights[oy];
      for (int ox = 0; ox < width; ox++) {
        float r = 0, g = 0, b = 0;
        for (int k = 0; k < w.length; k++) {
          int s = ((ys.first[oy] + k) * width + ox) * 3;
          r += w[k] * rows[s];
          g += w[k] * rows[s + 1];
          b += w[k] * rows[s + 2];
        }
        int d = (oy * width + ox) * 3;
        out[d] = toByte(r);
        out[d + 1] = toByte(g);
        out[d + 2] = toByte(b);
      }
    }
    return out;
  }

  /**
   * The pixels of an RGB image (or a crop of one) as uint8 HWC bytes. Decoded JPEGs are
   * byte-interleaved rasters: those are copied straight from the data buffer, which is several
   * times faster than {@code Raster.getPixels}'s per-sample calls.
   */
  public static byte[] toHwcBytes(BufferedImage image) {
    if (channels(image) != 3) {
      throw new IllegalArgumentException("expected an RGB image, got " + channels(image) + " channels");
    }
    int w = image.getWidth();
    int h = image.getHeight();
    Raster raster = image.getRaster();
    byte[] out = new byte[w * h * 3];
    if (raster.getDataBuffer() instanceof DataBufferByte buffer
        && raster.getSampleModel() instanceof ComponentSampleModel model
        && model.getNumBands() == 3
        && buffer.getNumBanks() == 1
        && image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_RGB) {
      byte[] data = buffer.getData();
      int[] bands = model.getBandOffsets();
      int pixelStride = model.getPixelStride();
      int x0 = raster.getMinX() - raster.getSampleModelTranslateX();
      int y0 = raster.getMinY() - raster.getSampleModelTranslateY();
      int d = 0;
      for (int y = 0; y < h; y++) {
        int s = buffer.getOffset() + (y0 + y) * model.getScanlineStride() + x0 * pixelStride;
        for (int x = 0; x < w; x++, s += pixelStride) {
          out[d++] = data[s + bands[0]];
          out[d++] = data[s + bands[1]];
          out[d++] = data[s + bands[2]];
        }
      }
      return out;
    }
    int[] samples = raster.getPixels(raster.getMinX(), raster.getMinY(), w, h, (int[]) null);
    for (int i = 0; i < samples.length; i++) {
      out[i] = (byte) samples[i];
    }
    return out;
  }

  /** A record's uint8 HWC RGB (or grey) pixels as an image: the way back from {@link #toHwcBytes}. */
  public static BufferedImage toImage(Galaxy galaxy) {
    return toImage(galaxy.getPixels().duplicate(), galaxy.getWidth(), galaxy.getHeight(), galaxy.getChannels());
  }

  /** Row-major interleaved uint8 pixels (HWC; one channel is drawn grey) as an RGB image. */
  public static BufferedImage toImage(ByteBuffer px, int w, int h, int c) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int base = px.position() + (y * w + x) * c;
        int r = px.get(base) & 0xff;
        int gr = c >= 3 ? px.get(base + 1) & 0xff : r;
        int b = c >= 3 ? px.get(base + 2) & 0xff : r;
        img.setRGB(x, y, (r << 16) | (gr << 8) | b);
      }
    }
    return img;
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
  private record Footprint(int[] first, float[][] weights) {
    static Footprint of(int srcSize, int outSize) {
      double scale = (double) srcSize / outSize;
      int[] first = new int[outSize];
      float[][] weights = new float[outSize][];
      for (int o = 0; o < outSize; o++) {
        double lo = o * scale;
        double hi = Math.min(srcSize, (o + 1) * scale);
        int a = (int) Math.floor(lo);
        int b = Math.min(srcSize, (int) Math.ceil(hi));
        first[o] = a;
        weights[o] = new float[b - a];
        for (int s = a; s < b; s++) {
          double overlap = Math.min(hi, s + 1) - Math.max(lo, s);
          weights[o][s - a] = (float) (overlap / (hi - lo));
        }
      }
      return new Footprint(first, weights);
    }
  }
}
