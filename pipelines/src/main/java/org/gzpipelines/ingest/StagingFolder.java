package org.gzpipelines.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.gzpipelines.files.AtomicFiles;
import org.gzpipelines.files.FileTrees;
import org.gzpipelines.tracking.ProcessOwner;

/**
 * The hidden sibling folder {@code .<out>.tmp-<uuid>/} an ingest writes into before its output is
 * renamed into place. Its {@code owner.json}, written before anything else, names the process
 * that made it, so the next ingest into the same {@code out} removes the folders of ingests that
 * were killed (GB-sized at full scale) and never one a live process is still writing.
 *
 * <p>Everything a run puts beside {@code out} stays inside this one folder: the new output in
 * {@code output/}, and the older output it replaces in {@code replaced/} until that is deleted.
 * So a kill at any moment leaves a single owned folder, which a later run can remove whole.
 */
final class StagingFolder implements AutoCloseable {

  static final String OWNER_FILE = "owner.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  private StagingFolder(Path dir) {
    this.dir = dir;
  }

  /** Creates a staging folder beside {@code out}, owned by this process. */
  static StagingFolder create(Path out) throws IOException {
    Path dir = Files.createDirectory(out.resolveSibling(prefix(out) + UUID.randomUUID()));
    // Through a rename, so that another ingest never reads a half-written owner.
    AtomicFiles.write(dir.resolve(OWNER_FILE), tmp -> JSON.writeValue(tmp.toFile(), ProcessOwner.current()));
    Files.createDirectory(dir.resolve("output"));
    return new StagingFolder(dir);
  }

  /** Where the pipeline writes the new output. */
  Path output() {
    return dir.resolve("output");
  }

  /** Renames the finished output to {@code out}; an older output there moves into this folder, to go with it. */
  void moveIntoPlace(Path out) throws IOException {
    if (Files.exists(out)) {
      Files.move(out, dir.resolve("replaced"), StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(output(), out, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Deletes the folder and whatever is left in it. */
  @Override
  public void close() throws IOException {
    FileTrees.delete(dir);
  }

  /**
   * Deletes the staging folders beside {@code out} whose owner process is gone, and says so on
   * {@code log}. A folder without a readable owner file (left by a gz from before owners were
   * recorded, or being created this instant) is only named: nothing shows whether its process
   * still runs.
   */
  static void removeAbandoned(Path out, PrintStream log) throws IOException {
    if (!Files.isDirectory(out.getParent())) {
      return;
    }
    List<Path> staging;
    try (Stream<Path> siblings = Files.list(out.getParent())) {
      staging = siblings.filter(p -> p.getFileName().toString().startsWith(prefix(out)) && Files.isDirectory(p)).toList();
    }
    for (Path folder : staging) {
      Optional<ProcessOwner> owner = owner(folder);
      if (owner.isEmpty()) {
        log.println("Left " + folder + " alone: it names no owner process (" + OWNER_FILE + "); delete it if no"
            + " ingest into " + out + " is running.");
      } else if (owner.get().isGone()) {
        FileTrees.delete(folder);
        log.println("Removed " + folder + ", left by an ingest that did not finish (" + owner.get() + " is gone).");
      }
    }
  }

  private static Optional<ProcessOwner> owner(Path folder) {
    Path file = folder.resolve(OWNER_FILE);
    try {
      return Files.isRegularFile(file) ? Optional.of(JSON.readValue(file.toFile(), ProcessOwner.class)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // unreadable: treated as unknown, so the folder is kept
    }
  }

  private static String prefix(Path out) {
    return "." + out.getFileName() + ".tmp-";
  }
}
