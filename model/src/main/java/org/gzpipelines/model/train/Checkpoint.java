package org.gzpipelines.model.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.gzpipelines.files.FileTrees;
import org.gzpipelines.model.predict.SavedModel;

/**
 * A resumable training state in one folder: network parameters (BN running statistics included),
 * the optimiser's state, the data position and the loop's bookkeeping, the history so far and the
 * config.
 *
 * <p>DJL 0.36 cannot save optimiser state (its Adam/SGD keep moments in private maps keyed by
 * random parameter ids). Re-creating the optimiser would restart Adam's bias correction and
 * moments and change the result, so this class reads and restores those maps by reflection,
 * keyed by the stable parameter names. {@code ResumeTest} proves the resumed run ends with the
 * same parameters as an uninterrupted one.
 */
final class Checkpoint {

  static final String PROGRESS = "progress.json";
  static final String STATE = "state.bin";
  static final String HISTORY = "history.csv";
  static final String CONFIG = "config.yaml";

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Optimiser fields that hold per-parameter state, by optimiser class. */
  private static final Map<Class<?>, List<String>> STATE_FIELDS = Map.of(
      PyTorchAdam.class, List.of("means", "variances"),
      ai.djl.training.optimizer.Sgd.class, List.of("momentumStates"));

  /** The loop's position and bookkeeping. */
  record Progress(
      String runId,
      int epoch,
      long nextBatch,
      long imagesSeen,
      double elapsedSeconds,
      long nextEvalAt,
      long nextCheckpointAt,
      double runningSquaredError,
      long runningImages,
      double bestValRmse,
      long bestImagesSeen,
      int evalsSinceBest,
      ReduceLrOnPlateau.State plateau) {}

  private Checkpoint() {}

  static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(PROGRESS)) && Files.isRegularFile(dir.resolve(STATE));
  }

  static void write(Path dir, Progress progress, Block block, Optimizer optimizer, TrainingHistory history,
      String configYaml) {
    try {
      Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp");
      FileTrees.delete(tmp);
      Files.createDirectories(tmp);
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp.resolve(STATE))))) {
        writeState(out, block, optimizer);
      }
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.resolve(PROGRESS).toFile(), progress);
      history.writeCsv(tmp.resolve(HISTORY));
      Files.writeString(tmp.resolve(CONFIG), configYaml);
      SavedModel.replaceFolder(tmp, dir);
    } catch (IOException | ReflectiveOperationException e) {
      throw new IllegalStateException("cannot write the checkpoint " + dir, e);
    }
  }

  static Progress readProgress(Path dir) {
    try {
      return JSON.readValue(dir.resolve(PROGRESS).toFile(), Progress.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the checkpoint " + dir, e);
    }
  }

  /** Copies saved parameters into the (initialised) block and the optimiser state into the optimiser. */
  static void restore(Path dir, Block block, Optimizer optimizer, NDManager manager) {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve(STATE))))) {
      readState(in, block, optimizer, manager);
    } catch (IOException | ReflectiveOperationException e) {
      throw new IllegalStateException("cannot restore the checkpoint " + dir, e);
    }
  }

  private static Map<String, Parameter> byName(Block block) {
    Map<String, Parameter> out = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      out.put(p.getKey(), p.getValue());
    }
    return out;
  }

  private static void writeState(DataOutputStream out, Block block, Optimizer optimizer)
      throws IOException, ReflectiveOperationException {
    Map<String, Parameter> params = byName(block);
    out.writeInt(params.size());
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      out.writeUTF(e.getKey());
      writeArray(out, e.getValue().getArray());
    }
    // Optimiser: update counts (Adam's bias correction, schedules) and per-parameter moments.
    Map<String, Integer> counts = field(Optimizer.class, optimizer, "updateCounts");
    out.writeInt((Integer) fieldValue(Optimizer.class, optimizer, "numUpdate"));
    List<String> fields = STATE_FIELDS.getOrDefault(optimizer.getClass(), List.of());
    out.writeInt(fields.size());
    for (String f : fields) {
      Map<String, Map<Device, NDArray>> state = field(optimizer.getClass(), optimizer, f);
      out.writeUTF(f);
      int n = 0;
      for (Parameter p : params.values()) {
        n += state.containsKey(p.getId()) ? 1 : 0;
      }
      out.writeInt(n);
      for (Map.Entry<String, Parameter> e : params.entrySet()) {
        Map<Device, NDArray> perDevice = state.get(e.getValue().getId());
        if (perDevice != null) {
          out.writeUTF(e.getKey());
          writeArray(out, perDevice.get(e.getValue().getArray().getDevice()));
        }
      }
    }
    Map<String, Integer> countsByName = new HashMap<>();
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      Integer c = counts.get(e.getValue().getId());
      if (c != null) {
        countsByName.put(e.getKey(), c);
      }
    }
    out.writeInt(countsByName.size());
    for (Map.Entry<String, Integer> e : countsByName.entrySet()) {
      out.writeUTF(e.getKey());
      out.writeInt(e.getValue());
    }
  }

  private static void readState(DataInputStream in, Block block, Optimizer optimizer, NDManager manager)
      throws IOException, ReflectiveOperationException {
    Map<String, Parameter> params = byName(block);
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      String name = in.readUTF();
      try (NDArray saved = readArray(in, manager)) {
        Parameter p = params.get(name);
        if (p == null) {
          throw new IllegalStateException("the checkpoint has a parameter '" + name
              + "' the network does not: was the architecture changed since?");
        }
        // The trainer holds these array objects, so a copy of the saved tensor takes their place
        // in place (intern moves it in and frees the old one; the copy owns its memory, where the
        // decoded array borrows a Java buffer). NDArray.set(Buffer) would do the same, but PyTorch
        // prints a deprecation warning on every resume for the guard DJL's native set uses.
        p.getArray().intern(saved.duplicate());
        p.getArray().setRequiresGradient(p.requiresGradient());
      }
    }
    Field numUpdate = Optimizer.class.getDeclaredField("numUpdate");
    numUpdate.setAccessible(true);
    numUpdate.setInt(optimizer, in.readInt());
    int fields = in.readInt();
    for (int f = 0; f < fields; f++) {
      String fieldName = in.readUTF();
      Map<String, Map<Device, NDArray>> state = field(optimizer.getClass(), optimizer, fieldName);
      int entries = in.readInt();
      for (int i = 0; i < entries; i++) {
        Parameter p = params.get(in.readUTF());
        NDArray a = readArray(in, manager);
        state.computeIfAbsent(p.getId(), k -> new ConcurrentHashMap<>()).put(p.getArray().getDevice(), a);
      }
    }
    Map<String, Integer> counts = field(Optimizer.class, optimizer, "updateCounts");
    int c = in.readInt();
    for (int i = 0; i < c; i++) {
      Parameter p = params.get(in.readUTF());
      counts.put(p.getId(), in.readInt());
    }
  }

  private static void writeArray(DataOutputStream out, NDArray a) throws IOException {
    byte[] bytes = a.encode();
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static NDArray readArray(DataInputStream in, NDManager manager) throws IOException {
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return NDArray.decode(manager, bytes);
  }

  @SuppressWarnings("unchecked")
  private static <T> T field(Class<?> owner, Object target, String name) throws ReflectiveOperationException {
    return (T) fieldValue(owner, target, name);
  }

  private static Object fieldValue(Class<?> owner, Object target, String name) throws ReflectiveOperationException {
    Field f = owner.getDeclaredField(name);
    f.setAccessible(true);
    return f.get(target);
  }
}
