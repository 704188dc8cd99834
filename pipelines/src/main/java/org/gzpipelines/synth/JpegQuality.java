package org.gzpipelines.synth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.plugins.jpeg.JPEGQTable;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.Node;

/**
 * The IJG (libjpeg) quality a JPEG was written with, estimated from its luminance quantisation
 * table: libjpeg scales the standard table by 5000/q (q < 50) or 200 - 2q (q >= 50), so the mean
 * ratio of the file's table to the standard one gives q back. ImageIO exposes the table in its
 * metadata tree; no library we use reads JPEG quality, hence these few lines.
 */
final class JpegQuality {

  private JpegQuality() {}

  /** The estimated quality (1-100), or NaN when the file is no JPEG or has no table. */
  static double estimate(byte[] jpeg) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
      Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
      if (!readers.hasNext() || in == null) {
        return Double.NaN;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in);
        IIOMetadata metadata = reader.getImageMetadata(0);
        Node table = find(metadata.getAsTree("javax_imageio_jpeg_image_1.0"), "dqtable");
        if (table == null) {
          return Double.NaN;
        }
        JPEGQTable q = (JPEGQTable) ((javax.imageio.metadata.IIOMetadataNode) table).getUserObject();
        int[] file = q.getTable();
        int[] standard = JPEGQTable.K1Luminance.getTable();
        double ratio = 0;
        for (int i = 0; i < file.length; i++) {
          ratio += (double) file[i] / standard[i];
        }
        double scale = 100 * ratio / file.length;
        return scale <= 100 ? (200 - scale) / 2 : 5000 / scale;
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** The first node named {@code name} under {@code node}, depth first. */
  private static Node find(Node node, String name) {
    if (name.equals(node.getNodeName())) {
      return node;
    }
    for (Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
      Node hit = find(c, name);
      if (hit != null) {
        return hit;
      }
    }
    return null;
  }
}
