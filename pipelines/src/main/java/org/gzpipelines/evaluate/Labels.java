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

  /**
   * Kaggle ids or descriptive names; "odd: ring" style names of the Q8 answers are accepted as
   * well as the taxonomy's own ("ring").
   */
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
        if (name.startsWith("odd: ")) {
          try {
            out.add(GalaxyZooTaxonomy.answer(name.substring("odd: ".length())));
            continue;
          } catch (IllegalArgumentException ignored) {
            // fall through to the error naming what was given
          }
        }
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
