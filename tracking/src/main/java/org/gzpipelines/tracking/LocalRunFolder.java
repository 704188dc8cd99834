package org.gzpipelines.tracking;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gzpipelines.files.AtomicFiles;

/**
 * A run's local folder, {@code <runs dir>/<run id>/}: the complete record of the run whether or not
 * a tracking server saw it, and the input of {@code gz sync}.
 *
 * <pre>
 *   meta.json     experiment, run name, parent, start/end time, status, server run id, synced
 *   params.json   parameters
 *   tags.json     tags
 *   metrics.csv   key,value,step,timestamp (original timestamps, in logging order)
 *   sync.json     what the server has confirmed (see {@link SyncState})
 *   artifacts/    a copy of every logged artifact
 * </pre>
 *
 * JSON files are replaced atomically (temp file, then rename); metrics.csv is append-only.
 */
final class LocalRunFolder {
  static final String META = "meta.json";
  static final String PARAMS = "params.json";
  static final String TAGS = "tags.json";
  static final String METRICS = "metrics.csv";
  static final String SYNC = "sync.json";
  static final String ARTIFACTS = "artifacts";
  private static final String METRICS_HEADER = "key,value,step,timestamp";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;
  private BufferedWriter metricsOut;

  private LocalRunFolder(Path dir) {
    this.dir = dir;
  }

  static LocalRunFolder create(Path runsDir, RunMeta meta) {
    Path dir = runsDir.resolve(meta.runId);
    try {
      Files.createDirectories(dir.resolve(ARTIFACTS));
    } catch (IOException e) {
      throw new TrackingException("cannot create the run folder " + dir + ": " + e, e);
    }
    LocalRunFolder folder = new LocalRunFolder(dir);
    folder.writeMeta(meta);
    folder.writeParams(Map.of());
    folder.writeTags(Map.of());
    folder.writeSync(new SyncState());
    return folder;
  }

  static LocalRunFolder open(Path dir) {
    if (!Files.isRegularFile(dir.resolve(META))) {
      throw new TrackingException(
          dir + " is not a run folder (it has no " + META + "); give a folder under the runs"
              + " directory (GZ_RUNS_DIR, default ./runs) or the runs directory itself");
    }
    return new LocalRunFolder(dir);
  }

  static boolean isRunFolder(Path dir) {
    return Files.isRegularFile(dir.resolve(META));
  }

  Path dir() {
    return dir;
  }

  RunMeta readMeta() {
    return read(META, new TypeReference<RunMeta>() {});
  }

  void writeMeta(RunMeta meta) {
    write(META, meta);
  }

  Map<String, String> readParams() {
    return read(PARAMS, new TypeReference<LinkedHashMap<String, String>>() {});
  }

  void writeParams(Map<String, String> params) {
    write(PARAMS, params);
  }

  Map<String, String> readTags() {
    return read(TAGS, new TypeReference<LinkedHashMap<String, String>>() {});
  }

  void writeTags(Map<String, String> tags) {
    write(TAGS, tags);
  }

  SyncState readSync() {
    return Files.exists(dir.resolve(SYNC))
        ? read(SYNC, new TypeReference<SyncState>() {})
        : new SyncState();
  }

  void writeSync(SyncState state) {
    write(SYNC, state);
  }

  /** Appends a point to metrics.csv (buffered: {@link #flushMetrics} makes it durable). */
  synchronized void appendMetric(MetricPoint p) {
    try {
      if (metricsOut == null) {
        boolean fresh = !Files.exists(dir.resolve(METRICS));
        metricsOut =
            Files.newBufferedWriter(
                dir.resolve(METRICS),
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        if (fresh) {
          metricsOut.write(METRICS_HEADER);
          metricsOut.newLine();
        }
      }
      metricsOut.write(
          p.key() + "," + Double.toString(p.value()) + "," + p.step() + "," + p.timestamp());
      metricsOut.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + dir.resolve(METRICS), e);
    }
  }

  synchronized void flushMetrics() {
    try {
      if (metricsOut != null) {
        metricsOut.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(METRICS), e);
    }
  }

  synchronized void closeMetrics() {
    try {
      if (metricsOut != null) {
        metricsOut.close();
        metricsOut = null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(METRICS), e);
    }
  }

  /**
   * Cuts a torn last line (the process died mid-write) off metrics.csv, so that points appended
   * by a continued run start on a line of their own.
   */
  synchronized void dropTornMetricsLine() {
    Path file = dir.resolve(METRICS);
    try {
      if (metricsOut != null || !Files.exists(file)) {
        return;
      }
      byte[] bytes = Files.readAllBytes(file);
      int end = bytes.length;
      while (end > 0 && bytes[end - 1] != '\n') {
        end--;
      }
      if (end < bytes.length) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
          ch.truncate(end);
        }
      }
    } catch (IOException e) {
      throw new TrackingException("cannot repair " + file + ": " + e, e);
    }
  }

  /** All points in logging order. A torn last line (the process died mid-write) is skipped. */
  List<MetricPoint> readMetrics() {
    Path file = dir.resolve(METRICS);
    List<MetricPoint> points = new ArrayList<>();
    if (!Files.exists(file)) {
      return points;
    }
    try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
      int[] row = {0};
      lines.forEach(
          line -> {
            row[0]++;
            if (row[0] == 1 || line.isEmpty()) {
              return;
            }
            String[] f = line.split(",", -1);
            try {
              points.add(
                  new MetricPoint(
                      f[0], Double.parseDouble(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])));
            } catch (RuntimeException e) {
              if (f.length == 4) {
                throw new TrackingException(
                    file + " line " + row[0] + " is not key,value,step,timestamp: " + line);
              }
              // A torn line can only be the last one; one that is not last is corruption.
              points.add(null);
            }
          });
    } catch (IOException e) {
      throw new TrackingException("cannot read " + file + ": " + e, e);
    }
    for (int i = 0; i < points.size(); i++) {
      if (points.get(i) == null) {
        if (i != points.size() - 1) {
          throw new TrackingException(file + " has a broken line in the middle (point " + i + ")");
        }
        points.remove(i);
      }
    }
    return points;
  }

  /**
   * Copies a file, or a folder recursively, to {@code artifacts/<artifactDir>/<name>}.
   *
   * @return the artifact paths (relative to the artifact root, '/'-separated) of the copied files
   */
  List<String> copyArtifact(Path source, String artifactDir) {
    String base = artifactDir.isEmpty() ? "" : artifactDir + "/";
    List<String> copied = new ArrayList<>();
    try {
      if (Files.isDirectory(source)) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(source)) {
          files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        String top = base + source.getFileName();
        for (Path f : files) {
          copied.add(copyFile(f, top + "/" + slashes(source.relativize(f))));
        }
      } else {
        copied.add(copyFile(source, base + source.getFileName()));
      }
    } catch (IOException e) {
      throw new TrackingException("cannot copy artifact " + source + " into " + dir + ": " + e, e);
    }
    return copied;
  }

  private String copyFile(Path source, String artifactPath) throws IOException {
    AtomicFiles.write(artifactFile(artifactPath), tmp -> Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING));
    return artifactPath;
  }

  Path artifactFile(String artifactPath) {
    return dir.resolve(ARTIFACTS).resolve(artifactPath);
  }

  /** Every artifact in the folder, as '/'-separated paths relative to the artifact root. */
  List<String> artifactPaths() {
    Path root = dir.resolve(ARTIFACTS);
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().endsWith(".tmp"))
          .map(p -> slashes(root.relativize(p)))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new TrackingException("cannot list " + root + ": " + e, e);
    }
  }

  private static String slashes(Path relative) {
    return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
  }

  private <T> T read(String name, TypeReference<T> type) {
    Path file = dir.resolve(name);
    try {
      return JSON.readValue(file.toFile(), type);
    } catch (IOException e) {
      throw new TrackingException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private void write(String name, Object value) {
    Path file = dir.resolve(name);
    try {
      AtomicFiles.write(file, tmp -> JSON.writeValue(tmp.toFile(), value));
    } catch (IOException e) {
      throw new TrackingException("cannot write " + file + ": " + e, e);
    }
  }
}
