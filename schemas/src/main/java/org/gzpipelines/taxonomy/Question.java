package org.gzpipelines.taxonomy;

import java.util.List;
import java.util.Optional;

/**
 * One of the 11 Galaxy Zoo 2 questions.
 *
 * <p>In the Kaggle normalisation a question's answers sum to the value of its {@code parent}
 * answer (the answer that leads to it), or to 1 where there is none.
 *
 * @param number 1-11
 * @param text the question as volunteers saw it
 * @param answers its answers, in Kaggle column order (contiguous in the label vector)
 * @param parent the answer whose value this question's answers sum to; empty means they sum to 1
 */
public record Question(int number, String text, List<Answer> answers, Optional<Answer> parent) {

  public Question {
    answers = List.copyOf(answers);
  }

  /** Index of the first answer in the 37-value label vector. */
  public int firstIndex() {
    return answers.get(0).index();
  }

  /** Number of answers. */
  public int size() {
    return answers.size();
  }

  /** Short label such as {@code Q8}. */
  public String label() {
    return "Q" + number;
  }

  /** The value this question's answers should sum to for one galaxy's label vector. */
  public double expectedSum(float[] labels) {
    return parent.map(a -> (double) labels[a.index()]).orElse(1.0);
  }

  /** The sum of this question's answers in one galaxy's label vector. */
  public double sum(float[] labels) {
    double s = 0;
    for (Answer a : answers) {
      s += labels[a.index()];
    }
    return s;
  }
}
