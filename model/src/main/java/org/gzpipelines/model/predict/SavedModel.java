package org.gzpipelines.model.predict;

import ai.djl.Model;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gzpipelines.files.FileTrees;
import org.gzpipelines.model.data.HostBatch;
import org.gzpipelines.model.data.Preprocessing;

/**
 * The layout of a saved model folder, as training writes it and {@link GalaxyPredictor} reads it:
 *
 * <ul>
 *   <li>{@code model-0000.params}: the DJL parameters ({@link Model#save}, name {@value #NAME});
 *       absent for the mean baseline;
 *   <li>{@code config.yaml}: the whole experiment config the model was trained with (its
 *       {@code train:} section rebuilds the network);
 *   <li>{@code model.json}: {@link Info} (architecture, head, input shape, parameter count, the
 *       preprocessing that makes its input from an original image, and the 37 means for the mean
 *       baseline);
 *   <li>{@code MLmodel} and {@code input_example.json}: the same as an MLflow model ({@link
 *       MlflowModelFile}), written here so the folder and its uploaded copy are one and the same.
 * </ul>
 */
public final class SavedModel {

  /** DJL model name (file {@code model-0000.params}). */
  public static final String NAME = "model";
  public static final String CONFIG_FILE = "config.yaml";
  public static final String INFO_FILE = "model.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What a loader needs besides the parameters.
   *
   * @param means the label means (mean baseline only, else null)
   * @param preprocessing how the training images were made from the originals (from the training
   *     data's manifest), so raw images can be prepared from the model folder alone; null in
   *     models trained on data without a manifest, or saved before it was recorded
   */
  public record Info(String architecture, String head, int height, int width, int channels, long parameters,
      double valRmse, long imagesSeen, float[] means, Preprocessing preprocessing) {

    /**
     * {@link #preprocessing}, or where the model does not record it, the default steps at the
     * model's input size (a guess: such a model should be retrained, or its data re-ingested).
     */
    public Preprocessing preprocessingOrDefault() {
      if (preprocessing != null) {
        return preprocessing;
      }
      Preprocessing d = Preprocessing.DEFAULTS;
      return Preprocessing.of(d.expectedSize(), Math.max(d.cropSize(), height), height);
    }

    /** What MLflow shows beside the model (its logged model's params). */
    public Map<String, String> summary() {
      Map<String, String> s = new LinkedHashMap<>();
      s.put("architecture", architecture);
      s.put("head", head);
      s.put("input_shape", channels + "x" + height + "x" + width);
      s.put("parameters", Long.toString(parameters));
      s.put("val_rmse", Double.toString(valRmse));
      s.put("images_seen", Long.toString(imagesSeen));
      return s;
    }
  }

  private SavedModel() {}

  /**
   * Writes a model folder atomically (temp folder, then rename over any old one).
   *
   * @param model the trained network, or null for the mean baseline
   * @param example a batch of training images; its first is the MLflow input example
   */
  public static void write(Path dir, Model model, String configYaml, Info info, HostBatch example) {
    try {
      Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp");
      FileTrees.delete(tmp);
      Files.createDirectories(tmp);
      if (model != null) {
        model.save(tmp, NAME);
      }
      Files.writeString(tmp.resolve(CONFIG_FILE), configYaml);
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.resolve(INFO_FILE).toFile(), info);
      MlflowModelFile.write(tmp, model == null ? null : model.getBlock(), info, example);
      replace(tmp, dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the model to " + dir, e);
    }
  }

  public static Info readInfo(Path dir) {
    Path f = dir.resolve(INFO_FILE);
    if (!Files.isRegularFile(f)) {
      throw new IllegalArgumentException(dir + " is not a saved model folder (no " + INFO_FILE
          + "): point at the model/ or best-model/ folder of a gz train run");
    }
    try {
      return JSON.readValue(f.toFile(), Info.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  /** Replaces {@code target} by {@code source} (a folder), as atomically as the file system allows. */
  static void replace(Path source, Path target) throws IOException {
    Path old = target.resolveSibling(target.getFileName() + ".old");
    FileTrees.delete(old);
    if (Files.exists(target)) {
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    FileTrees.delete(old);
  }

  /** Public form of {@link #replace} for other writers of folders (checkpoints). */
  public static void replaceFolder(Path source, Path target) {
    try {
      replace(source, target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move " + source + " to " + target, e);
    }
  }
}
