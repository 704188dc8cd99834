package org.gzpipelines.ingest;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
final class ArchiveEntries {
  private ArchiveEntries() {}

  /** Receives one readable image entry; {@code in} holds that entry's data. */
  interface EntryVisitor {
    void entry(String source, InputStream in) throws IOException;
  }

  /** Receives the archive's dead letters. */
  interface DeadLetterSink {
    void accept(DeadLetter deadLetter);
  }

  /** Visits every readable image entry of {@code archive} in order; problems go to {@code dead}. */
  static void walk(String archive, EntryVisitor visitor, DeadLetterSink dead) {
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
          dead.accept(Problem.BAD_IMAGE.deadLetter(archive + "!" + entryName, null,
              "archive entry is encrypted or uses an unsupported compression method"));
          continue;
        }
        visitor.entry(archive + "!" + entryName, in);
        entryName = null;
      }
    } catch (NotTheArchive e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      String where = entryName == null ? "after entry " + entries : "in entry " + entries + " (" + entryName + ")";
      // A cut-short archive's EOFException has no message of its own.
      String what = e instanceof EOFException ? "it ends early (cut short, e.g. an interrupted download)"
          : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      dead.accept(Problem.CORRUPT_ARCHIVE.deadLetter(archive, null, "archive unreadable " + where + ": " + what));
    }
  }

  /**
   * Names only: the source of every readable image entry, for the GalaxyID join, and the
   * archive's dead letters. The entries' data is skipped, never held.
   */
  static final class ListFn extends DoFn<String, String> {
    private final TupleTag<DeadLetter> deadLetters;

    ListFn(TupleTag<DeadLetter> deadLetters) {
      this.deadLetters = deadLetters;
    }

    @ProcessElement
    public void process(@Element String archive, MultiOutputReceiver out) {
      walk(archive, (source, in) -> {
        in.transferTo(OutputStream.nullOutputStream()); // a truncated entry fails here, as when read
        out.get(ReadImages.SOURCES).output(source);
      }, dead -> out.get(deadLetters).output(dead));
    }
  }

  /**
   * A visitor's failure that is not the archive's (writing what was read): {@link #walk} passes it
   * on, so it fails the step instead of becoming a corrupt-archive dead letter.
   */
  static final class NotTheArchive extends RuntimeException {
    NotTheArchive(IOException cause) {
      super(cause);
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
