package org.gzpipelines.taxonomy;

/**
 * One of the 37 Galaxy Zoo 2 answers, in Kaggle column order.
 *
 * @param index position in the 37-value label vector (0-based, Kaggle column order)
 * @param id Kaggle column name, e.g. {@code Class8.6}
 * @param name descriptive name after Willett et al. 2013 Table 2, e.g. {@code odd: merger}
 * @param gz2Column the matching column of the GZ2 main catalogue (map by name, never by number)
 * @param question number of the question (1-11) this answer belongs to
 * @param next the question a volunteer answers next, or 0 where the classification ends
 */
public record Answer(int index, String id, String name, String gz2Column, int question, int next) {

  /** True where this answer ends the classification. */
  public boolean isTerminal() {
    return next == 0;
  }
}
