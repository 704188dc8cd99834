package org.gzpipelines.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The before/after originals are found under every name ingest reads, whatever their format. */
class OriginalImagesTest {
  @TempDir Path tmp;

  @Test
  void jpegAndPngOriginalsAreFoundByGalaxyIdInFoldersAndArchives() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("originals/sub"));
    BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_3BYTE_BGR);
    ImageIO.write(image, "png", folder.resolve("100001.png").toFile());
    ImageIO.write(image, "png", folder.resolve("100002.jpg").toFile()); // a PNG named .jpg, as ingest accepts
    ImageIO.write(image, "jpeg", folder.resolve("100003.jpeg").toFile());
    ImageIO.write(image, "jpeg", folder.resolve("100004.jpg").toFile()); // not asked for
    Set<Long> wanted = Set.of(100001L, 100002L, 100003L, 100005L);
    assertEquals(Set.of(100001L, 100002L, 100003L), OriginalImages.read(tmp.resolve("originals"), wanted).keySet());

    Path zip = tmp.resolve("originals.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      for (String name : new String[] {"100001.png", "100002.jpg", "100003.jpeg"}) {
        out.putNextEntry(new ZipEntry("imgs/" + name));
        out.write(Files.readAllBytes(folder.resolve(name)));
        out.closeEntry();
      }
    }
    assertEquals(Set.of(100001L, 100002L, 100003L), OriginalImages.read(zip, wanted).keySet());
  }
}
