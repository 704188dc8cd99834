package org.gzpipelines.evaluate;

import java.util.ArrayList;
import java.util.List;
import org.gzpipelines.errors.UserError;
import org.gzpipelines.taxonomy.Answer;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;

/** Label lists on the command line, and the keys the extremes are grouped by. */
final class Labels {

  static final String BY_TRUTH = "truth";
  static final String BY_PREDICTION = "prediction";

  private Labels() {}

  /** Kaggle ids ({@code Class8.6}) or the taxonomy's descriptive names ({@code odd: merger}). */
  static List<Answer> parse(List<String> list) {
    List<Answer> out = new ArrayList<>();
    for (String s : list) {
      String name = s.trim();
      if (name.isEmpty()) {
        continue;
      }
      try {
        out.add(GalaxyZooTaxonomy.answer(name));
      } catch (IllegalArgumentException e) {
        throw new UserError("evaluate.labels (--labels): " + e.getMessage());
      }
    }
    if (out.isEmpty()) {
      throw new UserError("evaluate.labels (--labels) is empty: give Kaggle ids (Class8.6) or names (smooth), comma-separated");
    }
    return out;
  }

  static String key(int answerIndex, String by) {
    return GalaxyZooTaxonomy.answers().get(answerIndex).id() + "/" + by;
  }
}
