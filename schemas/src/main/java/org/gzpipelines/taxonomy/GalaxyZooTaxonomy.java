package org.gzpipelines.taxonomy;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Galaxy Zoo 2 decision tree as the Kaggle "Galaxy Challenge" labels encode it: 37 answers in
 * file order, 11 questions, and which answer each question's answers sum to.
 *
 * <p>This is the one shared data contract of the project: ingest validates against it, the
 * decision-tree output head multiplies down it, and reports take their names from it. Sources:
 * Willett et al. 2013 (MNRAS 435, 2835), Table 2, and the Kaggle normalisation (Q6 sums to 1 for
 * every galaxy, a known quirk of the data).
 */
public final class GalaxyZooTaxonomy {

  /** Number of answers, i.e. the length of a label vector. */
  public static final int ANSWER_COUNT = 37;

  /** Number of questions. */
  public static final int QUESTION_COUNT = 11;

  /** Name of the id column of the Kaggle labels CSV. */
  public static final String ID_COLUMN = "GalaxyID";

  private static final String[] QUESTION_TEXTS = {
    "Is the galaxy simply smooth and rounded, with no sign of a disk?",
    "Could this be a disk viewed edge-on?",
    "Is there a sign of a bar feature through the centre of the galaxy?",
    "Is there any sign of a spiral arm pattern?",
    "How prominent is the central bulge, compared with the rest of the galaxy?",
    "Is there anything odd?",
    "How rounded is it?",
    "Is the odd feature a ring, or is the galaxy disturbed or irregular?",
    "Does the galaxy have a bulge at its centre? If so, what shape?",
    "How tightly wound do the spiral arms appear?",
    "How many spiral arms are there?",
  };

  /** Kaggle id of the answer each question's answers sum to; null means they sum to 1. */
  private static final String[] PARENTS = {
    null, "Class1.2", "Class2.2", "Class2.2", "Class2.2", null,
    "Class1.1", "Class6.1", "Class2.1", "Class4.1", "Class4.1",
  };

  // {Kaggle id, descriptive name, GZ2 catalogue column, next question (0 = end)}
  private static final Object[][] ANSWERS = {
    {"Class1.1", "smooth", "t01_smooth_or_features_a01_smooth", 7},
    {"Class1.2", "features or disk", "t01_smooth_or_features_a02_features_or_disk", 2},
    {"Class1.3", "star or artifact", "t01_smooth_or_features_a03_star_or_artifact", 0},
    {"Class2.1", "edge-on: yes", "t02_edgeon_a04_yes", 9},
    {"Class2.2", "edge-on: no", "t02_edgeon_a05_no", 3},
    {"Class3.1", "bar: yes", "t03_bar_a06_bar", 4},
    {"Class3.2", "bar: no", "t03_bar_a07_no_bar", 4},
    {"Class4.1", "spiral: yes", "t04_spiral_a08_spiral", 10},
    {"Class4.2", "spiral: no", "t04_spiral_a09_no_spiral", 5},
    {"Class5.1", "bulge: no bulge", "t05_bulge_prominence_a10_no_bulge", 6},
    {"Class5.2", "bulge: just noticeable", "t05_bulge_prominence_a11_just_noticeable", 6},
    {"Class5.3", "bulge: obvious", "t05_bulge_prominence_a12_obvious", 6},
    {"Class5.4", "bulge: dominant", "t05_bulge_prominence_a13_dominant", 6},
    {"Class6.1", "odd: yes", "t06_odd_a14_yes", 8},
    {"Class6.2", "odd: no", "t06_odd_a15_no", 0},
    {"Class7.1", "completely round", "t07_rounded_a16_completely_round", 6},
    {"Class7.2", "in between", "t07_rounded_a17_in_between", 6},
    {"Class7.3", "cigar-shaped", "t07_rounded_a18_cigar_shaped", 6},
    {"Class8.1", "odd: ring", "t08_odd_feature_a19_ring", 0},
    {"Class8.2", "odd: lens or arc", "t08_odd_feature_a20_lens_or_arc", 0},
    {"Class8.3", "odd: disturbed", "t08_odd_feature_a21_disturbed", 0},
    {"Class8.4", "odd: irregular", "t08_odd_feature_a22_irregular", 0},
    {"Class8.5", "odd: other", "t08_odd_feature_a23_other", 0},
    {"Class8.6", "odd: merger", "t08_odd_feature_a24_merger", 0},
    {"Class8.7", "odd: dust lane", "t08_odd_feature_a38_dust_lane", 0},
    {"Class9.1", "bulge shape: rounded", "t09_bulge_shape_a25_rounded", 6},
    {"Class9.2", "bulge shape: boxy", "t09_bulge_shape_a26_boxy", 6},
    {"Class9.3", "bulge shape: no bulge", "t09_bulge_shape_a27_no_bulge", 6},
    {"Class10.1", "arms: tight", "t10_arms_winding_a28_tight", 11},
    {"Class10.2", "arms: medium", "t10_arms_winding_a29_medium", 11},
    {"Class10.3", "arms: loose", "t10_arms_winding_a30_loose", 11},
    {"Class11.1", "arms: 1", "t11_arms_number_a31_1", 5},
    {"Class11.2", "arms: 2", "t11_arms_number_a32_2", 5},
    {"Class11.3", "arms: 3", "t11_arms_number_a33_3", 5},
    {"Class11.4", "arms: 4", "t11_arms_number_a34_4", 5},
    {"Class11.5", "arms: more than four", "t11_arms_number_a36_more_than_4", 5},
    {"Class11.6", "arms: can't tell", "t11_arms_number_a37_cant_tell", 5},
  };

  private static final ImmutableList<Answer> ANSWER_LIST;
  private static final ImmutableList<Question> QUESTION_LIST;
  private static final ImmutableMap<String, Answer> BY_ID_OR_NAME;

  static {
    List<Answer> answers = new ArrayList<>();
    ImmutableMap.Builder<String, Answer> lookup = ImmutableMap.builder();
    for (int i = 0; i < ANSWERS.length; i++) {
      String id = (String) ANSWERS[i][0];
      int question = Integer.parseInt(id.substring(5, id.indexOf('.')));
      Answer a =
          new Answer(i, id, (String) ANSWERS[i][1], (String) ANSWERS[i][2], question, (Integer) ANSWERS[i][3]);
      answers.add(a);
      lookup.put(a.id(), a);
      lookup.put(a.name(), a);
    }
    ANSWER_LIST = ImmutableList.copyOf(answers);
    BY_ID_OR_NAME = lookup.buildOrThrow();
    ImmutableList.Builder<Question> questions = ImmutableList.builder();
    for (int q = 1; q <= QUESTION_COUNT; q++) {
      final int number = q;
      List<Answer> of = answers.stream().filter(a -> a.question() == number).toList();
      Optional<Answer> parent = Optional.ofNullable(PARENTS[q - 1]).map(BY_ID_OR_NAME::get);
      questions.add(new Question(q, QUESTION_TEXTS[q - 1], of, parent));
    }
    QUESTION_LIST = questions.build();
  }

  private GalaxyZooTaxonomy() {}

  /** The 37 answers in Kaggle column order. */
  public static List<Answer> answers() {
    return ANSWER_LIST;
  }

  /**
   * The 11 questions in number order. A question's parent answer always belongs to a question
   * with a smaller number, so walking this list in order visits parents before children.
   */
  public static List<Question> questions() {
    return QUESTION_LIST;
  }

  /** Question by number (1-11). */
  public static Question question(int number) {
    if (number < 1 || number > QUESTION_COUNT) {
      throw new IllegalArgumentException("Galaxy Zoo questions are numbered 1-11, not " + number);
    }
    return QUESTION_LIST.get(number - 1);
  }

  /** Answer by Kaggle id ({@code Class8.6}) or descriptive name ({@code odd: merger}). */
  public static Answer answer(String idOrName) {
    Answer a = BY_ID_OR_NAME.get(idOrName.trim());
    if (a == null) {
      throw new IllegalArgumentException(
          "Unknown Galaxy Zoo answer '" + idOrName + "': use a Kaggle id such as Class8.6 or a"
              + " descriptive name such as 'odd: merger' (see GalaxyZooTaxonomy.answers())");
    }
    return a;
  }

  /** The Kaggle CSV header: {@code GalaxyID,Class1.1,...,Class11.6}. */
  public static String csvHeader() {
    StringBuilder sb = new StringBuilder(ID_COLUMN);
    for (Answer a : ANSWER_LIST) {
      sb.append(',').append(a.id());
    }
    return sb.toString();
  }
}
