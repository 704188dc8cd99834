package org.gzpipelines.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.beam.sdk.PipelineResult;
import org.gzpipelines.model.data.ShardSet;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Prediction;
import org.gzpipelines.taxonomy.Answer;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.gzpipelines.tracking.RunStatus;
import org.gzpipelines.tracking.TrackedRun;

/**
 * Runs the evaluate pipeline for one model and turns its outputs into metrics and figures, all
 * logged to a tracked run (the "evaluate" child of the model's training run).
 */
public final class Evaluation {

  public static final String SCATTER_PNG = "true-vs-predicted.png";
  public static final String FIGURES_DIR = "figures";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What one evaluation measured and wrote. */
  public record Result(String runId, Path output, long predictions, LabelRmse rmse, LabelRmse rmseWithoutTta,
      double seconds, List<Path> figures) {

    /** Images through the whole pipeline (read, infer, write, summaries) per second of wall time. */
    public double imagesPerSecond() {
      return predictions / seconds;
    }
  }

  private Evaluation() {}

  /**
   * Runs the pipeline with {@code options} (model, data, output already set) and logs everything to
   * {@code run}; ends the run FINISHED, or FAILED and rethrows.
   */
  public static Result run(EvaluateOptions options, TrackedRun run) {
    try {
      Result r = evaluate(options, run);
      run.end(RunStatus.FINISHED);
      return r;
    } catch (RuntimeException | Error e) {
      run.end(RunStatus.FAILED);
      throw e;
    }
  }

  private static Result evaluate(EvaluateOptions o, TrackedRun run) {
    Path out = Path.of(o.getOutput());
    Map<String, String> params = new LinkedHashMap<>();
    params.put("model_dir", Path.of(o.getModelDir()).toAbsolutePath().normalize().toString());
    params.put("model_run_id", o.getModelRunId());
    params.put("data", Path.of(o.getData()).toAbsolutePath().normalize().toString());
    params.put("tta", Boolean.toString(o.getTta()));
    params.put("batch_size", Integer.toString(o.getBatchSize()));
    params.put("runner", o.getRunner().getSimpleName());
    params.put("extreme_labels", o.getExtremeLabels());
    params.put("scatter_sample", Integer.toString(o.getScatterSample()));
    run.logParams(params);
    run.setTag("gz.stage", "evaluate");

    long start = System.nanoTime();
    PipelineResult.State state = EvaluatePipeline.run(o);
    double seconds = (System.nanoTime() - start) / 1e9;
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the evaluate pipeline ended " + state);
    }
    long predictions = ShardSet.of(out, EvaluatePipeline.PREDICTIONS_DIR).countRecords();
    LabelRmse rmse = readRmse(out.resolve(EvaluatePipeline.RMSE_JSON));
    LabelRmse plain = o.getTta() ? readRmse(out.resolve(EvaluatePipeline.RMSE_PLAIN_JSON)) : null;

    run.logMetric("predictions", predictions, 0);
    run.logMetric("images_per_second", predictions / seconds, 0);
    run.logMetric("val_galaxies", rmse.galaxies(), 0);
    run.logMetric("val_rmse", rmse.rmse(), 0);
    for (Answer a : GalaxyZooTaxonomy.answers()) {
      run.logMetric("val_rmse/" + a.id(), rmse.perLabel()[a.index()], 0);
    }
    if (plain != null) {
      run.logMetric("val_rmse_without_tta", plain.rmse(), 0);
      run.logMetric("tta_rmse_change", rmse.rmse() - plain.rmse(), 0);
    }

    List<Path> figures = drawFigures(o, out, rmse);
    run.logArtifact(out.resolve(EvaluatePipeline.RMSE_JSON), "");
    if (plain != null) {
      run.logArtifact(out.resolve(EvaluatePipeline.RMSE_PLAIN_JSON), "");
    }
    // A folder is logged under its own name.
    run.logArtifact(out.resolve(FIGURES_DIR), "");
    run.logArtifact(out.resolve(EvaluatePipeline.PREDICTIONS_DIR), "");
    return new Result(run.runId(), out, predictions, rmse, plain, seconds, figures);
  }

  private static List<Path> drawFigures(EvaluateOptions o, Path out, LabelRmse rmse) {
    Path dir = out.resolve(FIGURES_DIR);
    List<Path> written = new ArrayList<>();
    try {
      List<Prediction> sample = readAvro(out.resolve(EvaluatePipeline.SCATTER_SAMPLE), Prediction.class);
      Path scatter = dir.resolve(SCATTER_PNG);
      EvaluateFigures.scatterGrid(sample, rmse, scatter);
      written.add(scatter);

      Map<Long, Galaxy> images = new HashMap<>();
      for (Galaxy g : readAvro(out.resolve(EvaluatePipeline.EXTREMES_GALAXIES), Galaxy.class)) {
        images.put(g.getGalaxyId(), g);
      }
      Map<String, List<Ranked>> ranked = new HashMap<>();
      for (String line : Files.readAllLines(out.resolve(EvaluatePipeline.EXTREMES_RANKED))) {
        if (!line.isBlank()) {
          EvaluatePipeline.RankedLine r = JSON.readValue(line, EvaluatePipeline.RankedLine.class);
          ranked.put(r.key(), r.galaxies());
        }
      }
      for (Answer a : Labels.parse(o.getExtremeLabels())) {
        Path png = dir.resolve(String.format(Locale.ROOT, "extremes-%s.png", a.id()));
        EvaluateFigures.extremes(a, ranked.getOrDefault(Labels.key(a.index(), Labels.BY_TRUTH), List.of()),
            ranked.getOrDefault(Labels.key(a.index(), Labels.BY_PREDICTION), List.of()), images, png);
        written.add(png);
      }
      return written;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot draw the evaluation figures in " + dir, e);
    }
  }

  static LabelRmse readRmse(Path file) {
    try {
      return JSON.readValue(file.toFile(), LabelRmse.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Reads a whole (small) Avro file of one record type. */
  public static <T extends SpecificRecord> List<T> readAvro(Path file, Class<T> type) throws IOException {
    List<T> out = new ArrayList<>();
    try (DataFileReader<T> r = new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(type))) {
      while (r.hasNext()) {
        out.add(r.next());
      }
    }
    return out;
  }
}
