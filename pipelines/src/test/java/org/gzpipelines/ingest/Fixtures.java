package org.gzpipelines.ingest;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.gzpipelines.schemas.DeadLetter;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;

/** Small generated Galaxy Zoo style datasets: JPEGs of centred blobs, a labels CSV, archives. */
final class Fixtures {
  private Fixtures() {}

  /** A size x size RGB image of an elliptical Gaussian "galaxy" at the centre, on faint noise. */
  static BufferedImage galaxy(long id, int size) {
    Random random = new Random(id);
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    double c = (size - 1) / 2.0;
    double sigma = size * (0.04 + 0.04 * random.nextDouble());
    double axis = 0.4 + 0.6 * random.nextDouble();
    double angle = random.nextDouble() * Math.PI;
    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double u = ((x - c) * cos + (y - c) * sin) / sigma;
        double v = (-(x - c) * sin + (y - c) * cos) / (sigma * axis);
        double flux = 230 * Math.exp(-0.5 * (u * u + v * v));
        int noise = random.nextInt(6);
        int r = clamp(flux + noise);
        int g = clamp(0.9 * flux + noise);
        int b = clamp(0.7 * flux + noise);
        image.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return image;
  }

  static byte[] jpeg(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "jpg", out);
    return out.toByteArray();
  }

  /** Writes {@code ids} as {@code <dir>/<id>.jpg}. */
  static void writeImages(Path dir, List<Long> ids, int size) throws IOException {
    Files.createDirectories(dir);
    for (long id : ids) {
      Files.write(dir.resolve(id + ".jpg"), jpeg(galaxy(id, size)));
    }
  }

  static float[] labels(long id) {
    Random random = new Random(id * 31 + 7);
    float[] labels = new float[GalaxyZooTaxonomy.ANSWER_COUNT];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = Math.round(random.nextFloat() * 1e6f) / 1e6f;
    }
    return labels;
  }

  static String labelLine(long id) {
    StringBuilder s = new StringBuilder(Long.toString(id));
    for (float f : labels(id)) {
      s.append(',').append(String.format(Locale.ROOT, "%.6f", f));
    }
    return s.toString();
  }

  /** The Kaggle CSV for {@code ids} plus any extra raw lines. */
  static void writeLabels(Path csv, List<Long> ids, String... extraLines) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add(GalaxyZooTaxonomy.csvHeader());
    ids.forEach(id -> lines.add(labelLine(id)));
    lines.addAll(List.of(extraLines));
    Files.write(csv, lines);
  }

  /**
   * A raw input for {@code gz ingest}: {@code images} holds n galaxies' size x size JPEGs and
   * {@code labels} their Kaggle CSV rows.
   */
  record Input(List<Long> ids, Path images, Path labels) {
    /** The image folder also as {@code images.zip} and {@code images.tar.gz} beside it, entries under {@code prefix/}. */
    List<Path> writeArchives(String prefix) throws IOException {
      Path zip = images.resolveSibling("images.zip");
      zip(images, zip, prefix);
      Path tgz = images.resolveSibling("images.tar.gz");
      tarGz(images, tgz, prefix);
      return List.of(zip, tgz);
    }
  }

  /** Writes {@code <dir>/images/<id>.jpg} and {@code <dir>/labels.csv} for {@code n} galaxies. */
  static Input writeInput(Path dir, int n, int size) throws IOException {
    Input input = new Input(ids(n), dir.resolve("images"), dir.resolve("labels.csv"));
    writeImages(input.images(), input.ids(), size);
    writeLabels(input.labels(), input.ids());
    return input;
  }

  static List<Long> ids(int n) {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(100_000L + 37L * i);
    }
    return ids;
  }

  /** Zips every file of {@code dir} under {@code prefix/}. */
  static void zip(Path dir, Path zip, String prefix) throws IOException {
    try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(Files.newOutputStream(zip))) {
      for (Path file : files(dir)) {
        out.putArchiveEntry(new ZipArchiveEntry(prefix + "/" + file.getFileName()));
        out.write(Files.readAllBytes(file));
        out.closeArchiveEntry();
      }
    }
  }

  static void tarGz(Path dir, Path tgz, String prefix) throws IOException {
    try (OutputStream raw = Files.newOutputStream(tgz);
        TarArchiveOutputStream out = new TarArchiveOutputStream(new GzipCompressorOutputStream(raw))) {
      for (Path file : files(dir)) {
        byte[] bytes = Files.readAllBytes(file);
        TarArchiveEntry entry = new TarArchiveEntry(prefix + "/" + file.getFileName());
        entry.setSize(bytes.length);
        out.putArchiveEntry(entry);
        out.write(bytes);
        out.closeArchiveEntry();
      }
    }
  }

  static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(Files::isRegularFile).sorted().toList();
    }
  }

  static List<Galaxy> readGalaxies(Path splitDir) throws IOException {
    List<Galaxy> all = new ArrayList<>();
    if (!Files.isDirectory(splitDir)) {
      return all;
    }
    for (Path shard : files(splitDir)) {
      if (!shard.getFileName().toString().matches("part-.*\\.avro")) {
        throw new AssertionError("unexpected file in " + splitDir + ": " + shard.getFileName());
      }
      try (DataFileReader<Galaxy> reader = new DataFileReader<>(shard.toFile(), new SpecificDatumReader<>(Galaxy.class))) {
        reader.forEach(all::add);
      }
    }
    return all;
  }

  static List<DeadLetter> readDeadLetters(Path out) throws IOException {
    List<DeadLetter> all = new ArrayList<>();
    Path dir = out.resolve("dead-letter");
    if (!Files.isDirectory(dir)) {
      return all;
    }
    for (Path shard : files(dir)) {
      try (DataFileReader<DeadLetter> reader = new DataFileReader<>(shard.toFile(), new SpecificDatumReader<>(DeadLetter.class))) {
        reader.forEach(all::add);
      }
    }
    return all;
  }

  /** "id split copy sha256(pixels)" per record, sorted: the identity of an output. */
  static List<String> fingerprint(Path out) throws Exception {
    List<String> rows = new ArrayList<>();
    for (String split : new String[] {"train", "val", "test"}) {
      for (Galaxy g : readGalaxies(out.resolve(split))) {
        byte[] pixels = new byte[g.getPixels().remaining()];
        g.getPixels().duplicate().get(pixels);
        rows.add(g.getGalaxyId() + " " + g.getSplit() + " " + g.getCopyIndex() + " "
            + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pixels)));
      }
    }
    rows.sort(null);
    return rows;
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }
}
