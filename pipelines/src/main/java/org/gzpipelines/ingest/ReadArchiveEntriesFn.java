package org.gzpipelines.ingest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.gzpipelines.schemas.DeadLetter;

/**
 * Streams the image entries of one archive (.zip, .tar.gz or .tar) without unpacking it to disk.
 * A damaged archive yields every entry read before the damage plus one dead letter naming the
 * archive and the entry where reading stopped.
 *
 * <p>Zip files are read as a stream ({@code ZipArchiveInputStream}) rather than through their
 * central directory ({@code ZipFile}) because a truncated zip has no central directory at all, and
 * the entries before the truncation must still count.
 */
final class ReadArchiveEntriesFn extends DoFn<String, ImageFile> {
  private final TupleTag<DeadLetter> deadLetters;

  ReadArchiveEntriesFn(TupleTag<DeadLetter> deadLetters) {
    this.deadLetters = deadLetters;
  }

  @ProcessElement
  public void process(@Element String archive, MultiOutputReceiver out) {
    ImageInput kind = ImageInput.of(java.nio.file.Path.of(archive));
    int entries = 0;
    String entryName = null;
    try (InputStream raw = Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(archive, false)));
        ArchiveInputStream<?> in = open(kind, new BufferedInputStream(raw, 1 << 16))) {
      ArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        entryName = entry.getName();
        entries++;
        if (entry.isDirectory() || !ImageInput.isImageName(entryName)) {
          continue;
        }
        if (!in.canReadEntryData(entry)) {
          out.get(deadLetters)
              .output(Problem.BAD_IMAGE.deadLetter(archive + "!" + entryName, null,
                  "archive entry is encrypted or uses an unsupported compression method"));
          continue;
        }
        byte[] bytes = in.readAllBytes();
        out.get(ReadImages.IMAGES).output(new ImageFile(archive + "!" + entryName, bytes));
        entryName = null;
      }
    } catch (IOException | RuntimeException e) {
      String where = entryName == null ? "after entry " + entries : "in entry " + entries + " (" + entryName + ")";
      out.get(deadLetters)
          .output(Problem.CORRUPT_ARCHIVE.deadLetter(archive, null,
              "archive unreadable " + where + ": " + e.getMessage()));
    }
  }

  private static ArchiveInputStream<?> open(ImageInput kind, InputStream in) throws IOException {
    return switch (kind) {
      case ZIP -> new ZipArchiveInputStream(in, "UTF-8", true, true);
      case TAR_GZ -> new TarArchiveInputStream(new GzipCompressorInputStream(in, true));
      case TAR -> new TarArchiveInputStream(in);
      case FOLDER -> throw new IllegalArgumentException("not an archive");
    };
  }
}
