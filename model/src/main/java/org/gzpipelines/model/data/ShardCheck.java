package org.gzpipelines.model.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.AvroRuntimeException;
import org.gzpipelines.errors.UserError;

/**
 * Checks an ingest output's Avro files against the list in its {@code manifest.json} before a
 * stage reads them, so a deleted, truncated or replaced shard stops the stage with a sentence that
 * names the file and the fix instead of letting it train or report on part of the data. The one
 * place that check is made: training, explore, evaluate, mergers, and the skip checks of
 * {@code gz ingest} and {@code gz run} all call it.
 *
 * <p>What is checked, and why not always everything: before every read, each listed file must be
 * there with its recorded size and its recorded record count (from the Avro block headers, see
 * {@link AvroBlocks}), and no unlisted {@code *.avro} file may sit beside them. That costs a
 * stat and a few bytes per 64 KB block: milliseconds for the 61,578 Galaxy Zoo images, where a
 * SHA-256 of every byte would re-read the whole output (a GB, more with augmented copies) before
 * each stage and each skip decision of {@code gz run}. What the quick check cannot see, a byte
 * changed inside a block, is still never read silently: ingest writes Snappy blocks, whose CRC-32
 * Avro checks while decoding, so the read fails. The training reader then names the shard
 * ({@link #unreadable}); the Beam stages, whose Avro errors name no file, compare the SHA-256s
 * once their read has failed ({@link #explain}). The SHA-256s are compared up front only where no
 * read follows: the skip check of {@code gz ingest} ({@link #damage}), which is also how a user
 * checks an output in full (re-run the same {@code gz ingest}).
 */
public final class ShardCheck {

  private ShardCheck() {}

  /**
   * The verified shards of one split ({@code train}, {@code val}, {@code test}) of an ingest
   * output, in the manifest's order.
   *
   * @throws UserError naming the damaged (or unlisted) file and the fix
   */
  public static ShardSet split(Path data, String split) {
    Folder f = Folder.of(data, split);
    Manifest m = manifest(f.output(), split);
    if (!m.shards().containsKey(f.name())) {
      throw new UserError(f.output() + " has no " + f.name() + "/ split (its " + Manifest.FILE_NAME + " lists "
          + String.join(", ", m.shards().keySet()) + "): " + f.name() + "/ comes from ingesting "
          + (f.name().equals("test") ? "images without --labels" : "images with --labels"));
    }
    problem(f, m, false).ifPresent(p -> {
      throw damaged(p, f.output());
    });
    Path dir = data.resolve(split);
    return new ShardSet(dir, m.shards().get(f.name()).stream().map(s -> dir.resolve(s.file())).toList());
  }

  /**
   * Checks every folder of an ingest output (the splits and the dead letters) before a stage that
   * reads them all (explore), or before {@code gz run} skips a stage that read them.
   *
   * @throws UserError naming the damaged (or unlisted) file and the fix
   */
  public static void all(Path data) {
    manifest(data, null);
    for (String folder : Manifest.SHARD_FOLDERS) {
      Folder f = Folder.of(data, folder);
      problem(f, manifest(f.output(), folder), false).ifPresent(p -> {
        throw damaged(p, f.output());
      });
    }
  }

  /**
   * What is wrong with an ingest output, checksums included, or empty when every file is as ingest
   * wrote it: the skip check of {@code gz ingest}, which then ingests again rather than fails.
   */
  public static Optional<String> damage(Path data) {
    try {
      Optional<Manifest> own = Manifest.find(data);
      if (own.isEmpty() || own.get().shards() == null) {
        return Optional.of(own.isEmpty() ? data + " has no " + Manifest.FILE_NAME : noList(data));
      }
      for (String folder : Manifest.SHARD_FOLDERS) {
        Folder f = Folder.of(data, folder);
        Optional<String> p = problem(f, manifest(f.output(), folder), true);
        if (p.isPresent()) {
          return p;
        }
      }
      return Optional.empty();
    } catch (IOException | UserError e) {
      return Optional.of(e.getMessage()); // a manifest that cannot be read, here or where a folder links to
    }
  }

  /**
   * Whether an ingest output has {@code split}: its manifest lists it, or (without a manifest
   * listing its files) Avro files are there, which {@link #split} then refuses with the reason.
   */
  public static boolean has(Path data, String split) {
    Folder f = Folder.of(data, split);
    try {
      Optional<Manifest> m = Manifest.find(f.output());
      if (m.isPresent() && m.get().shards() != null) {
        return m.get().shards().containsKey(f.name());
      }
      return !Manifest.avroFiles(data.resolve(split)).isEmpty();
    } catch (IOException e) {
      return true; // an unreadable manifest: split() says so
    }
  }

  /**
   * A shard that passed the check but fails to decode (a byte changed inside a block, or a
   * schema this build cannot read): the sentence naming it and the fix.
   */
  public static UserError unreadable(Path shard, Exception cause) {
    Path data = shard.toAbsolutePath().getParent().getParent();
    return new UserError(shard + " cannot be read (" + cause.getMessage() + ")" + fix(data), cause);
  }

  /**
   * A failed pipeline read explained: when an ingest output among {@code data} (null and folders
   * without a manifest are passed over) has a file that is not as recorded, checksums included,
   * the sentence naming it and the fix, with {@code failure} as its cause; else {@code failure}.
   */
  public static RuntimeException explain(RuntimeException failure, Path... data) {
    for (Path d : data) {
      if (d != null && Files.isRegularFile(d.resolve(Manifest.FILE_NAME))) {
        Optional<String> damage = damage(d);
        if (damage.isPresent()) {
          return new UserError(damage.get() + fix(d), failure);
        }
      }
    }
    return failure;
  }

  /**
   * A folder of an ingest output, where its files really are. A folder linked in from another
   * output (bench/evaluate.sh links the test split of an unlabelled ingest into the labelled one)
   * is checked against the manifest of the output it belongs to.
   */
  private record Folder(Path output, String name) {
    static Folder of(Path data, String name) {
      Path dir = data.resolve(name);
      if (Files.isSymbolicLink(dir)) {
        try {
          Path real = dir.toRealPath();
          return new Folder(real.getParent(), real.getFileName().toString());
        } catch (IOException e) {
          // a dangling link: checked where it is, so its files are reported missing
        }
      }
      return new Folder(data, name);
    }
  }

  private static String fix(Path data) {
    return ": re-run gz ingest --force to rewrite " + data;
  }

  private static UserError damaged(String problem, Path data) {
    return new UserError(problem + fix(data));
  }

  private static String noList(Path data) {
    return data.resolve(Manifest.FILE_NAME) + " does not list its shards (it was written by an older gz ingest)";
  }

  /** The manifest, with its shard list; {@code folder} (or any, when null) names where to look for shards without one. */
  private static Manifest manifest(Path data, String folder) {
    Optional<Manifest> m;
    try {
      m = Manifest.find(data);
    } catch (IOException e) {
      throw new UserError(e.getMessage(), e);
    }
    if (m.isEmpty()) {
      List<String> folders = folder == null ? Manifest.SHARD_FOLDERS : List.of(folder);
      if (folders.stream().allMatch(f -> avroFiles(data.resolve(f)).isEmpty())) {
        throw new UserError("no ingested data at " + (folder == null ? data : data.resolve(folder))
            + ": run gz ingest first, or point --data at its output (the folder holding " + Manifest.FILE_NAME + ")");
      }
      throw damaged(data + " holds Avro shards but no " + Manifest.FILE_NAME + " to check them against", data);
    }
    if (m.get().shards() == null) {
      throw damaged(noList(data), data);
    }
    return m.get();
  }

  /** The first listed file of the folder that is not as recorded, or an unlisted one. */
  private static Optional<String> problem(Folder folder, Manifest m, boolean checksums) {
    List<Manifest.Shard> listed = m.shards().getOrDefault(folder.name(), List.of());
    Path dir = folder.output().resolve(folder.name());
    for (Manifest.Shard s : listed) {
      Optional<String> p = problem(dir.resolve(s.file()), s, checksums);
      if (p.isPresent()) {
        return p;
      }
    }
    Set<String> names = listed.stream().map(Manifest.Shard::file).collect(Collectors.toSet());
    return avroFiles(dir).stream()
        .filter(f -> !names.contains(f.getFileName().toString()))
        .findFirst()
        .map(f -> f + " is not in " + folder.output().resolve(Manifest.FILE_NAME)
            + " (left there by something other than this ingest)");
  }

  private static Optional<String> problem(Path file, Manifest.Shard s, boolean checksums) {
    String says = String.format(Locale.ROOT, "; %s says %d records, %d bytes, sha256 %s...", Manifest.FILE_NAME,
        s.records(), s.bytes(), s.sha256().substring(0, Math.min(16, s.sha256().length())));
    try {
      if (!Files.isRegularFile(file)) {
        return Optional.of(file + " is missing (" + says.substring(2) + ")");
      }
      long bytes = Files.size(file);
      if (bytes != s.bytes()) {
        return Optional.of(file + (bytes < s.bytes() ? " is truncated (" : " has changed (") + bytes + " bytes" + says + ")");
      }
      long records = AvroBlocks.records(file);
      if (records != s.records()) {
        return Optional.of(file + " has changed (" + records + " records" + says + ")");
      }
      if (checksums && !Manifest.Shard.sha256(file).equals(s.sha256())) {
        return Optional.of(file + " has changed (its content no longer has the recorded checksum" + says + ")");
      }
      return Optional.empty();
    } catch (IOException | AvroRuntimeException e) {
      return Optional.of(file + " is damaged (" + e.getMessage() + says + ")");
    }
  }

  private static List<Path> avroFiles(Path folder) {
    try {
      return Manifest.avroFiles(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
  }
}
