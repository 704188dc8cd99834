package org.gzpipelines.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageOpsTest {

  /** An image whose pixel (x, y) has R = x, G = y, B = 7. */
  private static BufferedImage ramp(int w, int h) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, (x << 16) | (y << 8) | 7);
      }
    }
    return image;
  }

  private static int[] rgb(byte[] hwc, int width, int x, int y) {
    int i = (y * width + x) * 3;
    return new int[] {hwc[i] & 0xff, hwc[i + 1] & 0xff, hwc[i + 2] & 0xff};
  }

  @Test
  void decodesPngLosslesslyToHwcRgb() throws IOException {
    BufferedImage image = ramp(5, 4);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(image, "png", png);
    BufferedImage decoded = ImageOps.decode(png.toByteArray());
    assertEquals(3, ImageOps.channels(decoded));
    byte[] hwc = ImageOps.toHwcBytes(decoded);
    assertEquals(5 * 4 * 3, hwc.length);
    assertArrayEquals(new int[] {3, 2, 7}, rgb(hwc, 5, 3, 2));
  }

  @Test
  void rejectsBytesThatAreNoImage() {
    IOException e = assertThrows(IOException.class, () -> ImageOps.decode("not a jpeg".getBytes()));
    assertEquals(true, e.getMessage().contains("not a JPEG"));
  }

  @Test
  void centreCropTakesTheMiddle() {
    BufferedImage crop = ImageOps.centerCrop(ramp(10, 10), 4);
    byte[] hwc = ImageOps.toHwcBytes(crop);
    assertArrayEquals(new int[] {3, 3, 7}, rgb(hwc, 4, 0, 0));
    assertArrayEquals(new int[] {6, 6, 7}, rgb(hwc, 4, 3, 3));
  }

  @Test
  void areaAverageByThreeIsTheMeanOfEachBlock() {
    BufferedImage image = ramp(9, 6);
    byte[] out = ImageOps.resizeToHwc(image, 3, 2);
    // Block (1,1) covers x 3..5 and y 3..5: mean R = 4, mean G = 4.
    assertArrayEquals(new int[] {4, 4, 7}, rgb(out, 3, 1, 1));
    assertArrayEquals(new int[] {1, 1, 7}, rgb(out, 3, 0, 0));
    assertArrayEquals(new int[] {7, 1, 7}, rgb(out, 3, 2, 0));
  }

  @Test
  void areaAverageHandlesFractionalFootprints() {
    BufferedImage flat = new BufferedImage(7, 7, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 7; y++) {
      for (int x = 0; x < 7; x++) {
        flat.setRGB(x, y, 0x804020);
      }
    }
    byte[] out = ImageOps.resizeToHwc(flat, 3, 3);
    for (int i = 0; i < out.length; i += 3) {
      assertArrayEquals(new int[] {0x80, 0x40, 0x20}, new int[] {out[i] & 0xff, out[i + 1] & 0xff, out[i + 2] & 0xff});
    }
  }

  @Test
  void mirrorSwapsLeftAndRight() {
    byte[] hwc = ImageOps.toHwcBytes(ImageOps.mirror(ramp(6, 3)));
    assertArrayEquals(new int[] {5, 0, 7}, rgb(hwc, 6, 0, 0));
    assertArrayEquals(new int[] {0, 2, 7}, rgb(hwc, 6, 5, 2));
  }

  @Test
  void rotateTurnsCounterClockwiseAboutTheCentre() {
    // A bright dot right of the centre must end up above the centre after +90 degrees.
    int size = 21;
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
    image.setRGB(15, 10, 0xffffff);
    byte[] hwc = ImageOps.toHwcBytes(ImageOps.rotate(image, 90));
    assertEquals(255, rgb(hwc, size, 10, 5)[0]);
    assertEquals(0, rgb(hwc, size, 15, 10)[0]);
    assertEquals(0, rgb(hwc, size, 10, 15)[0]);
  }

  @Test
  void rotationByZeroAndBy360KeepsThePixels() {
    BufferedImage image = Fixtures.galaxy(5, 40);
    byte[] original = ImageOps.toHwcBytes(image);
    assertArrayEquals(original, ImageOps.toHwcBytes(ImageOps.rotate(image, 0)));
    byte[] full = ImageOps.toHwcBytes(ImageOps.rotate(image, 360));
    int maxDiff = 0;
    for (int i = 0; i < original.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs((original[i] & 0xff) - (full[i] & 0xff)));
    }
    assertEquals(true, maxDiff <= 2, "max difference " + maxDiff);
  }

  @Test
  void downsampledGalaxyStaysCentred() {
    BufferedImage image = Fixtures.galaxy(11, 424);
    byte[] small = ImageOps.resizeToHwc(ImageOps.centerCrop(image, 207), 69, 69);
    double[] c = centroid(small, 69);
    assertEquals(34.0, c[0], 1.0, Arrays.toString(c));
    assertEquals(34.0, c[1], 1.0, Arrays.toString(c));
  }

  @Test
  void decodingTheCentreGivesTheCropOfTheFullDecode() throws IOException {
    byte[] jpeg = Fixtures.jpeg(Fixtures.galaxy(3, 424));
    BufferedImage full = ImageOps.decode(jpeg);
    for (int side : new int[] {207, 296}) {
      ImageOps.Decoded centre = ImageOps.decodeCentre(jpeg, side);
      assertEquals(424, centre.fullWidth());
      assertArrayEquals(
          ImageOps.toHwcBytes(ImageOps.centerCrop(full, 207)),
          ImageOps.toHwcBytes(ImageOps.centerCrop(centre.image(), 207)), "side " + side);
    }
    // Rotating the decoded centre equals rotating the full image, inside the crop.
    ImageOps.Decoded centre = ImageOps.decodeCentre(jpeg, 295);
    byte[] fromFull = ImageOps.toHwcBytes(ImageOps.centerCrop(ImageOps.rotate(full, 33), 207));
    byte[] fromCentre = ImageOps.toHwcBytes(ImageOps.centerCrop(ImageOps.rotate(centre.image(), 33), 207));
    int maxDiff = 0;
    for (int i = 0; i < fromFull.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs((fromFull[i] & 0xff) - (fromCentre[i] & 0xff)));
    }
    assertTrue(maxDiff <= 1, "max difference " + maxDiff);
  }

  @Test
  void truncatedJpegIsAnError() throws IOException {
    byte[] jpeg = Fixtures.jpeg(Fixtures.galaxy(3, 64));
    IOException e = assertThrows(IOException.class, () -> ImageOps.decode(Arrays.copyOf(jpeg, jpeg.length - 40)));
    assertTrue(e.getMessage().contains("truncated JPEG"), e.getMessage());
  }

  @Test
  void cropLargerThanImageIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> ImageOps.centerCrop(ramp(10, 10), 11));
  }

  /** Flux-weighted centroid (x, y) of the red channel above the background. */
  static double[] centroid(byte[] hwc, int size) {
    double sum = 0, sx = 0, sy = 0;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double flux = Math.max(0, (hwc[(y * size + x) * 3] & 0xff) - 10);
        sum += flux;
        sx += flux * x;
        sy += flux * y;
      }
    }
    return new double[] {sx / sum, sy / sum};
  }
}
