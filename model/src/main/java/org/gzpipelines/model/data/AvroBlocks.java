package org.gzpipelines.model.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.apache.avro.file.DataFileConstants;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;

/**
 * Counts the records of an Avro data file from its block headers alone. Every block starts with
 * its record count and byte size and ends with the file's 16-byte sync marker, so the walk reads
 * about 40 bytes a block and decompresses nothing (milliseconds for a full Galaxy Zoo output,
 * where decoding it would read and unpack every image). A truncated or spliced file fails the
 * walk: a block that runs past the end, or a sync marker that is not where the header says.
 */
final class AvroBlocks {

  /** A block header is two zig-zag varints (count, size) of at most 10 bytes each. */
  private static final int MAX_HEADER = 20;

  private AvroBlocks() {}

  /** The file's record count; an IOException says where its block structure breaks. */
  static long records(Path file) throws IOException {
    long pos;
    try (DataFileReader<Object> header = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
      pos = header.previousSync(); // the first block starts right after the header's sync marker
    }
    try (FileChannel in = FileChannel.open(file)) {
      long size = in.size();
      ByteBuffer sync = read(in, pos - DataFileConstants.SYNC_SIZE, DataFileConstants.SYNC_SIZE);
      long records = 0;
      while (pos < size) {
        ByteBuffer head = read(in, pos, (int) Math.min(MAX_HEADER, size - pos));
        long count = varLong(head, pos);
        long bytes = varLong(head, pos);
        long syncAt = pos + head.position() + bytes;
        if (count < 0 || bytes < 0 || syncAt + DataFileConstants.SYNC_SIZE > size) {
          throw new IOException("the block at byte " + pos + " runs past the end of the file (" + size + " bytes)");
        }
        if (!read(in, syncAt, DataFileConstants.SYNC_SIZE).equals(sync)) {
          throw new IOException("no sync marker after the block at byte " + pos);
        }
        records += count;
        pos = syncAt + DataFileConstants.SYNC_SIZE;
      }
      return records;
    }
  }

  private static ByteBuffer read(FileChannel in, long pos, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    while (b.hasRemaining() && in.read(b, pos + b.position()) > 0) {
      // a positional read may return fewer bytes than asked
    }
    return b.flip();
  }

  /** Avro's zig-zag variable-length long. */
  private static long varLong(ByteBuffer b, long blockStart) throws IOException {
    long raw = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!b.hasRemaining()) {
        throw new IOException("the block header at byte " + blockStart + " is cut off");
      }
      byte x = b.get();
      raw |= (long) (x & 0x7f) << shift;
      if (x >= 0) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw new IOException("the block header at byte " + blockStart + " is not a number");
  }
}
