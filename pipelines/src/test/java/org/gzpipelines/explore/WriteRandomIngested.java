package org.gzpipelines.explore;

import java.nio.file.Path;

/**
 * Writes a random ingested dataset for the explore benchmark (bench/explore.sh): {@code <dir>
 * <records> [image size] [shards]}, 80% train, 20% val, tree-consistent random labels.
 */
public final class WriteRandomIngested {
  private WriteRandomIngested() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: WriteRandomIngested <dir> <records> [image size, default 64] [shards, default 8]");
      System.exit(2);
    }
    int records = Integer.parseInt(args[1]);
    int size = args.length > 2 ? Integer.parseInt(args[2]) : 64;
    int shards = args.length > 3 ? Integer.parseInt(args[3]) : 8;
    int train = records * 8 / 10;
    TestDatasets.writeIngested(Path.of(args[0]), train, records - train, 0, 0, 0, size, shards, 1);
  }
}
