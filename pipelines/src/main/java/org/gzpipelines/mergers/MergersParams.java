package org.gzpipelines.mergers;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.google.common.primitives.Doubles;
import java.util.List;
import org.gzpipelines.ingest.ImageInput;
import org.gzpipelines.predict.ModelParams;

/** The {@code mergers:} section; each described key is also a flag of {@code gz mergers}. */
public final class MergersParams extends ModelParams {
  /** The {@link #decision} that calls at the break-even point on the validation split. */
  public static final String AUTO = "auto";

  @JsonPropertyDescription("Test images: a folder written by gz ingest (its test/ split), or raw " + ImageInput.IMAGE_FILES
      + " (dir, .zip, .tar.gz); gz run defaults them to synth's test set.")
  public String images;
  @JsonPropertyDescription("Labelled ingested folder whose val/ split calibrates the criterion; unset = the model's"
      + " training data.")
  public String validation;
  @JsonPropertyDescription("A galaxy is a merger when its volunteers' Class8.6 vote fraction is at least this.")
  public double threshold = 0.4;
  /**
   * Unset, the threshold: the break-even point is measured on the validation split, and on images
   * unlike it (a synthetic-trained model on real galaxies) it calls far more galaxies mergers than
   * the threshold does (docs/BENCHMARKS.md, "The demo's merger threshold").
   */
  @JsonPropertyDescription("The model calls a galaxy a merger when its predicted Class8.6 is at least this: a"
      + " number, or 'auto' = the value at which it calls as many validation galaxies mergers as their votes do"
      + " (predicted votes are pulled towards the mean, so few may reach the threshold); unset = the threshold.")
  public String decision;
  @JsonPropertyDescription("truth.json of a gz synth set (the true fraction of the set whose folder the images are, else of its test set); unset = the one of the set the images folder is, if any.")
  public String truth;
  @JsonPropertyDescription("Output folder; unset = mergers/<run id>.")
  public String output;

  @Override
  public void validate(String section, List<String> problems) {
    super.validate(section, problems);
    voteFraction(problems, section + ".threshold", threshold);
    if (decision != null && !isAuto()) {
      Double d = Doubles.tryParse(decision);
      if (d == null) {
        problems.add("'" + section + ".decision': must be 'auto' or a vote fraction such as 0.3, was '" + decision + "'");
      } else {
        voteFraction(problems, section + ".decision", d);
      }
    }
  }

  /** Whether {@link #decision} is auto, in any case. Not a key of the section (nor a logged parameter). */
  @JsonIgnore
  public boolean isAuto() {
    return AUTO.equalsIgnoreCase(decision);
  }

  /** A threshold on a vote fraction: 0 would call every galaxy a merger. */
  private static void voteFraction(List<String> problems, String key, double value) {
    if (!(value > 0 && value <= 1)) {
      problems.add("'" + key + "': must be above 0 and at most 1, was " + value);
    }
  }

  /**
   * The criterion: Class8.6 at {@link #threshold}, called at {@link #decision}: {@code breakEven}
   * (the validation split's, {@link MergerCriterion#breakEven}) where auto, else the number, else
   * the threshold.
   */
  public MergerCriterion criterion(MergerCriterion breakEven) {
    if (isAuto()) {
      return breakEven;
    }
    return MergerCriterion.mergerVote(threshold, decision == null ? threshold : Double.parseDouble(decision));
  }
}
