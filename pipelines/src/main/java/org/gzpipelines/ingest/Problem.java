package org.gzpipelines.ingest;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.gzpipelines.schemas.DeadLetter;

/**
 * The kinds of bad input ingest recognises. Each dead letter's reason starts with the kind's code
 * ({@code "bad-image: ..."}) so that summaries can group them, and ends with how to fix it.
 */
public enum Problem {
  BAD_IMAGE("bad-image", "re-export or re-download the image; it must be a readable JPEG or PNG image"),
  WRONG_IMAGE_SHAPE("wrong-image-shape", "use RGB cutouts like Kaggle's (424x424, the galaxy in the central 207 pixels);"
      + " for another side N, run gz ingest with --expected-size N --crop-size N*207/424 (the same field of view)"
      + " and give the ingested folder to --images"),
  NOT_RGB("not-rgb", "use 3-channel RGB cutouts (JPEG or PNG), as Kaggle's are"),
  BAD_ID("bad-id", "a GalaxyID is a whole number (Kaggle's, or an SDSS objID): name images <GalaxyID>.jpg (or"
      + " .jpeg, .png); rename images named otherwise (e.g. IAU J-names) to numbers and keep a table from one to the"
      + " other"),
  BAD_LABEL_ROW("bad-label-row", "fix the row: GalaxyID (a whole number, as in its image's name) followed by 37"
      + " numbers in [0,1], comma-separated"),
  NO_IMAGE("no-image", "add <GalaxyID>.jpg (or .jpeg, .png) to the images or drop the row from the labels file"),
  NO_LABELS("no-labels", "add a labels row for this GalaxyID or remove the image (or ingest it without --labels as test data)"),
  DUPLICATE_ID("duplicate-id", "keep one image and one labels row per GalaxyID"),
  CORRUPT_ARCHIVE("corrupt-archive", "re-download or re-create the archive; entries before the damage were ingested");

  private final String code;
  private final String fix;

  Problem(String code, String fix) {
    this.code = code;
    this.fix = fix;
  }

  public String code() {
    return code;
  }

  /** The start of the dead-letter counters' names. */
  static final String COUNTER_PREFIX = "dead-letter.";

  /** The Beam counter of this kind of dead letter (namespace "ingest"). */
  public Counter counter() {
    return Metrics.counter("ingest", COUNTER_PREFIX + code);
  }

  /** A dead letter for {@code source} (file, entry or row) with what is wrong and the fix; counts it. */
  public DeadLetter deadLetter(String source, String id, String what) {
    counter().inc();
    return DeadLetter.newBuilder()
        .setSource(source)
        .setId(id)
        .setReason(code + ": " + what + " -- fix: " + fix)
        .build();
  }

  /** The kind a dead letter's reason names, or null when it starts with no known code. */
  public static Problem of(DeadLetter letter) {
    String reason = letter.getReason();
    for (Problem p : values()) {
      if (reason.startsWith(p.code + ":")) {
        return p;
      }
    }
    return null;
  }
}
