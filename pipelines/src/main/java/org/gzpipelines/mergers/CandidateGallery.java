package org.gzpipelines.mergers;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.gzpipelines.explore.ExploreFigures;
import org.gzpipelines.ingest.ImageOps;
import org.gzpipelines.ingest.OriginalImages;
import org.gzpipelines.predict.PickedImages;
import org.gzpipelines.predict.UnitParts;
import org.gzpipelines.report.Numbers;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Prediction;

/**
 * The merger candidates for the eye, the way an astronomer checks a candidate list: a CSV of every
 * predicted merger (GalaxyID, Class8.6, Class6.1, rank), and two galleries of labelled image tiles
 * of the galaxies {@link CandidateSelection} picks: the top candidates, and random galaxies just
 * below the decision threshold, whose images the work units kept.
 */
public final class CandidateGallery {

  static final String CSV = "merger-candidates.csv";
  static final String TOP_PNG = "merger-candidates.png";
  static final String BELOW_PNG = "below-threshold.png";

  private static final int TILE = 160;
  private static final int COLUMNS = 10;

  /**
   * What was written.
   *
   * @param candidates predicted mergers (rows of the CSV)
   * @param topIds the galaxies of the top gallery, best first
   * @param belowBand galaxies in the band just below the decision threshold
   * @param wholeFrames tiles of the two galleries that show their galaxy's whole original frame
   */
  public record Written(Path csv, long candidates, Path top, List<Long> topIds, Path below, long belowBand,
      int belowShown, int wholeFrames) {

    int topShown() {
      return topIds.size();
    }
  }

  private CandidateGallery() {}

  /**
   * Reads the pipeline's output {@code out} (its test predictions and the images the units kept)
   * and writes the CSV and the two galleries, picked with {@code seed}, into {@code dir}.
   *
   * @param originals the raw images the galaxies were read from (a folder, .zip or .tar.gz), or null
   *     (an ingested folder): where a galaxy's file is found, its tile shows the whole frame
   *     volunteers saw with the model's central {@code cropSize} pixels outlined, since tidal tails
   *     and companions often lie outside the crop; elsewhere, the crop the model saw
   */
  static Written write(Path out, double decision, long seed, Path dir, Path originals, int cropSize)
      throws IOException {
    Files.createDirectories(dir);
    // Only the candidates' ids and two scores are held, and only for the ranking the CSV needs.
    List<Candidate> candidates = new ArrayList<>();
    long[] belowBand = {0};
    CandidateSelection picks = new CandidateSelection(decision, seed);
    UnitParts.forEach(out.resolve(MergersPipeline.TEST_PREDICTIONS), Prediction.class, p -> {
      picks.offer(p);
      Candidate c = Candidate.of(p);
      if (c.merger() >= decision) {
        candidates.add(c);
      } else if (c.merger() >= decision - CandidateSelection.BAND) {
        belowBand[0]++;
      }
    });
    candidates.sort(Candidate.ORDER.reversed());
    Path csv = dir.resolve(CSV);
    try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      w.write("GalaxyID,Class8.6,Class6.1,rank\n");
      for (int i = 0; i < candidates.size(); i++) {
        Candidate c = candidates.get(i);
        // The scores as the model gave them (shortest exact form, as in the submission CSV): rounded,
        // two candidates could show equal Class8.6 with their Class6.1 in the wrong order for their ranks.
        w.write(c.galaxyId() + "," + Float.toString(c.merger()) + "," + Float.toString(c.odd()) + "," + (i + 1) + "\n");
      }
    }

    List<Candidate> top = picks.top().stream().map(Candidate::of).toList();
    List<Candidate> below = picks.below().stream().map(Candidate::of).toList();
    Map<Long, Galaxy> images = PickedImages.read(out.resolve(MergersPipeline.CANDIDATES), picks.ids());
    // A few dozen files, read once the picks are known (one walk of the folder, or one pass of an archive).
    Map<Long, BufferedImage> frames = originals == null ? Map.of() : OriginalImages.read(originals, picks.ids());
    Tiles tiles = new Tiles(images, frames, cropSize);
    // Values are cut, not rounded, to the 3 decimals shown (a 0.3996 below a 0.400 threshold reads 0.399, not
    // 0.400); the threshold is shown rounded, as the console and the report show it.
    Path topPng = dir.resolve(TOP_PNG);
    draw(String.format(Locale.ROOT, "Top %d of %,d predicted mergers (predicted Class8.6 >= %s), by Class8.6, then Class6.1%s",
        top.size(), candidates.size(), Numbers.fixed(decision, 3), tiles.legend()), top, true, tiles, topPng);
    Path belowPng = dir.resolve(BELOW_PNG);
    String band = String.format(Locale.ROOT, "galaxies just below the decision threshold (%s <= Class8.6 < %s)%s",
        Numbers.fixed(decision - CandidateSelection.BAND, 3), Numbers.fixed(decision, 3), tiles.legend());
    draw(below.size() == belowBand[0] ? String.format(Locale.ROOT, "All %,d %s", below.size(), band)
        : String.format(Locale.ROOT, "%d random of the %,d %s", below.size(), belowBand[0], band),
        below, false, tiles, belowPng);
    int wholeFrames = (int) Stream.concat(top.stream(), below.stream())
        .filter(c -> frames.containsKey(c.galaxyId())).count();
    return new Written(csv, candidates.size(), topPng, top.stream().map(Candidate::galaxyId).toList(), belowPng,
        belowBand[0], below.size(), wholeFrames);
  }

  private static void draw(String title, List<Candidate> group, boolean ranked, Tiles images, Path png)
      throws IOException {
    List<BufferedImage> tiles = new ArrayList<>();
    List<String[]> captions = new ArrayList<>();
    for (int i = 0; i < group.size(); i++) {
      Candidate c = group.get(i);
      tiles.add(images.of(c.galaxyId()));
      captions.add(new String[] {
        (ranked ? "#" + (i + 1) + "  " : "") + c.galaxyId(),
        "Class8.6 " + cut(c.merger()),
        "Class6.1 " + cut(c.odd()),
      });
    }
    if (!ImageIO.write(ExploreFigures.imageGrid(title, tiles, captions, COLUMNS, TILE), "png", png.toFile())) {
      throw new IOException("no PNG writer for " + png);
    }
  }

  /** Each picked galaxy's tile: its whole original frame with the model's crop outlined, else the crop. */
  private record Tiles(Map<Long, Galaxy> crops, Map<Long, BufferedImage> frames, int cropSize) {

    BufferedImage of(long galaxyId) {
      BufferedImage frame = frames.get(galaxyId);
      if (frame == null) {
        return ImageOps.toImage(crops.get(galaxyId));
      }
      // Area-averaged to the tile (the grid draws it 1:1), then the crop's square in faint white.
      BufferedImage tile = ImageOps.toImage(ByteBuffer.wrap(ImageOps.resizeToHwc(frame, TILE, TILE)), TILE, TILE, 3);
      int box = (int) Math.round((double) cropSize * TILE / frame.getWidth());
      Graphics2D g = tile.createGraphics();
      g.setColor(new Color(255, 255, 255, 110));
      g.drawRect((TILE - box) / 2, (TILE - box) / 2, box, box);
      g.dispose();
      return tile;
    }

    String legend() {
      return frames.isEmpty() ? "" : "; whole frames, the box is what the model sees";
    }
  }

  /** A vote fraction cut (not rounded) to 3 decimals: 0.3996 is "0.399". */
  static String cut(double v) {
    return String.format(Locale.ROOT, "%.3f", Math.floor(v * 1000 + 1e-9) / 1000);
  }
}
