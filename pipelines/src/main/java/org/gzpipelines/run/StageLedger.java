package org.gzpipelines.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gzpipelines.files.AtomicFiles;

/**
 * What {@code gz run} has already done: for each stage, the fingerprints of the inputs and
 * parameters it last ran with and what each run produced (a run id or a folder), newest last. A
 * stage whose newest fingerprint is unchanged and whose output still exists is skipped; an earlier
 * one is returned only on request ({@link #earlier}), for outputs a later run cannot have
 * overwritten (a run id, unlike a folder).
 */
public final class StageLedger {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Fingerprints kept per stage: a sweep's few settings and a round trip back to an earlier one. */
  static final int HISTORY = 20;

  /** The key prefix of the stages stopped part-way, beside the completed ones in the same file. */
  private static final String STOPPED = "stopped: ";

  /** One completed stage. */
  record Entry(String fingerprint, String output) {}

  private final Path file;
  private final Map<String, List<Entry>> entries;

  private StageLedger(Path file, Map<String, List<Entry>> entries) {
    this.file = file;
    this.entries = entries;
  }

  public static StageLedger open(Path file) {
    Map<String, List<Entry>> entries = new LinkedHashMap<>();
    if (!Files.isRegularFile(file)) {
      return new StageLedger(file, entries);
    }
    try {
      JsonNode root = JSON.readTree(file.toFile());
      for (var field : (Iterable<Map.Entry<String, JsonNode>>) root::fields) {
        List<Entry> list = new ArrayList<>();
        // A ledger written before the history was kept holds one entry per stage.
        for (JsonNode e : field.getValue().isArray() ? field.getValue() : List.of(field.getValue())) {
          list.add(JSON.treeToValue(e, Entry.class));
        }
        entries.put(field.getKey(), list);
      }
      return new StageLedger(file, entries);
    } catch (IOException | RuntimeException e) {
      // A damaged ledger only costs a re-run of the stages; say so rather than fail.
      System.err.println("gz run: ignoring unreadable " + file + " (" + e.getMessage() + "): every stage runs again");
      return new StageLedger(file, new LinkedHashMap<>());
    }
  }

  /** sha256 over the given parts, each separated so that ("ab","c") differs from ("a","bc"). */
  public static String fingerprint(String... parts) {
    return Hashing.sha256().hashString(String.join("\u0000", parts), StandardCharsets.UTF_8).toString();
  }

  /** The output of the stage's newest run, if it had this fingerprint. */
  public Optional<String> done(String stage, String fingerprint) {
    List<Entry> list = entries.getOrDefault(stage, List.of());
    return list.isEmpty() || !list.get(list.size() - 1).fingerprint().equals(fingerprint) ? Optional.empty()
        : Optional.of(list.get(list.size() - 1).output());
  }

  /** The output of an earlier run of the stage with this fingerprint, newest first, if any. */
  public Optional<String> earlier(String stage, String fingerprint) {
    List<Entry> list = entries.getOrDefault(stage, List.of());
    for (int i = list.size() - 2; i >= 0; i--) {
      if (list.get(i).fingerprint().equals(fingerprint)) {
        return Optional.of(list.get(i).output());
      }
    }
    return Optional.empty();
  }

  /**
   * Records a stage stopped part-way with this fingerprint (Ctrl-C in a training) and where it can
   * continue (the run folder with its checkpoint): the next {@code gz run} continues it there.
   */
  public void recordStopped(String stage, String fingerprint, String continueFrom) {
    record(STOPPED + stage, fingerprint, continueFrom);
  }

  /** Where the stage last stopped part-way, if that was with this fingerprint. */
  public Optional<String> stopped(String stage, String fingerprint) {
    return done(STOPPED + stage, fingerprint);
  }

  /** Records a completed stage as its newest run, written atomically. */
  public void record(String stage, String fingerprint, String output) {
    List<Entry> list = entries.computeIfAbsent(stage, s -> new ArrayList<>());
    list.removeIf(e -> e.fingerprint().equals(fingerprint));
    list.add(new Entry(fingerprint, output));
    while (list.size() > HISTORY) {
      list.remove(0);
    }
    try {
      AtomicFiles.write(file, tmp -> JSON.writeValue(tmp.toFile(), entries));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
