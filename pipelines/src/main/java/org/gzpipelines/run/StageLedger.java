package org.gzpipelines.run;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.gzpipelines.files.AtomicFiles;

/**
 * What {@code gz run} has already done: for each stage, the fingerprint of its inputs and
 * parameters and what it produced (a run id or a folder). A stage whose fingerprint is unchanged
 * and whose output still exists is skipped.
 */
public final class StageLedger {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One completed stage. */
  record Entry(String fingerprint, String output) {}

  private final Path file;
  private final Map<String, Entry> entries;

  private StageLedger(Path file, Map<String, Entry> entries) {
    this.file = file;
    this.entries = entries;
  }

  public static StageLedger open(Path file) {
    if (!Files.isRegularFile(file)) {
      return new StageLedger(file, new LinkedHashMap<>());
    }
    try {
      return new StageLedger(file, JSON.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Entry>>() {}));
    } catch (IOException e) {
      // A damaged ledger only costs a re-run of the stages; say so rather than fail.
      System.err.println("gz run: ignoring unreadable " + file + " (" + e.getMessage() + "): every stage runs again");
      return new StageLedger(file, new LinkedHashMap<>());
    }
  }

  /** sha256 over the given parts, each separated so that ("ab","c") differs from ("a","bc"). */
  public static String fingerprint(String... parts) {
    return Hashing.sha256().hashString(String.join("\u0000", parts), StandardCharsets.UTF_8).toString();
  }

  /** The recorded output of a stage with this fingerprint, if any. */
  public Optional<String> done(String stage, String fingerprint) {
    Entry e = entries.get(stage);
    return e != null && e.fingerprint().equals(fingerprint) ? Optional.of(e.output()) : Optional.empty();
  }

  /** Records a completed stage, written atomically. */
  public void record(String stage, String fingerprint, String output) {
    entries.put(stage, new Entry(fingerprint, output));
    try {
      AtomicFiles.write(file, tmp -> JSON.writeValue(tmp.toFile(), entries));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
