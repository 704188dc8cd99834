package org.gzpipelines.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.gzpipelines.schemas.DeadLetter;

/**
 * Counts of the dead letters by kind with the first few examples of each (first by source name,
 * in {@link JoinAndValidate#SOURCE_ORDER}, so the examples are the same on every run), read back from the dead-letter shards.
 */
public final class DeadLetterSummary {
  static final int EXAMPLES = 3;

  private final Map<String, Long> counts = new TreeMap<>();
  private final Map<String, TreeSet<DeadLetter>> examples = new TreeMap<>();

  public static DeadLetterSummary read(Path deadLetterDir) throws IOException {
    DeadLetterSummary summary = new DeadLetterSummary();
    forEach(deadLetterDir, summary::add);
    return summary;
  }

  /** Hands every dead letter of the shards in {@code deadLetterDir} (none when it does not exist) to {@code action}. */
  public static void forEach(Path deadLetterDir, Consumer<DeadLetter> action) throws IOException {
    if (!Files.isDirectory(deadLetterDir)) {
      return;
    }
    List<Path> shards;
    try (Stream<Path> files = Files.list(deadLetterDir)) {
      shards = files.filter(p -> p.getFileName().toString().endsWith(".avro")).sorted().toList();
    }
    for (Path shard : shards) {
      try (DataFileReader<DeadLetter> reader = new DataFileReader<>(shard.toFile(), new SpecificDatumReader<>(DeadLetter.class))) {
        for (DeadLetter letter : reader) {
          action.accept(letter);
        }
      }
    }
  }

  void add(DeadLetter letter) {
    Problem problem = Problem.of(letter);
    String kind = problem == null ? "other" : problem.code();
    counts.merge(kind, 1L, Long::sum);
    TreeSet<DeadLetter> first = examples.computeIfAbsent(kind, k -> new TreeSet<>(
        Comparator.comparing(DeadLetter::getSource, JoinAndValidate.SOURCE_ORDER).thenComparing(DeadLetter::getReason)));
    first.add(DeadLetter.newBuilder(letter).build());
    if (first.size() > EXAMPLES) {
      first.pollLast();
    }
  }

  public long total() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Dead letters per kind code (e.g. {@code bad-image}). */
  public Map<String, Long> counts() {
    return counts;
  }

  public List<DeadLetter> examples(String kind) {
    return new ArrayList<>(examples.getOrDefault(kind, new TreeSet<>()));
  }

  /** A table of kinds with counts and the first examples, for the terminal. */
  public String table() {
    if (counts.isEmpty()) {
      return String.format("No dead letters: every input was ingested.%n");
    }
    StringBuilder s = new StringBuilder(String.format("Dead letters: %d%n  %-18s %8s%n", total(), "reason", "count"));
    counts.forEach((kind, n) -> {
      s.append(String.format("  %-18s %8d%n", kind, n));
      for (DeadLetter d : examples(kind)) {
        s.append("      e.g. ").append(d.getSource()).append(": ").append(d.getReason()).append('\n');
      }
    });
    if (counts.values().stream().anyMatch(n -> n > EXAMPLES)) {
      s.append("  every one, a line each: gz dead-letters <the output folder>\n");
    }
    return s.toString();
  }
}
