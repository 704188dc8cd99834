package org.gzpipelines.taxonomy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GalaxyZooTaxonomyTest {

  @Test
  void answersAreInKaggleColumnOrder() {
    List<Answer> answers = GalaxyZooTaxonomy.answers();
    assertEquals(37, answers.size());
    assertEquals("Class1.1", answers.get(0).id());
    assertEquals("Class8.6", answers.get(23).id());
    assertEquals("Class11.6", answers.get(36).id());
    int[] perQuestion = {3, 2, 2, 2, 4, 2, 3, 7, 3, 3, 6};
    for (Question q : GalaxyZooTaxonomy.questions()) {
      assertEquals(perQuestion[q.number() - 1], q.size(), q.label());
    }
    for (int i = 0; i < answers.size(); i++) {
      assertEquals(i, answers.get(i).index());
    }
  }

  @Test
  void namesAndCatalogueColumnsFollowWillettTable2() {
    assertEquals("smooth", GalaxyZooTaxonomy.answer("Class1.1").name());
    assertEquals("star or artifact", GalaxyZooTaxonomy.answer("Class1.3").name());
    assertEquals("odd: merger", GalaxyZooTaxonomy.answer("Class8.6").name());
    assertEquals("arms: more than four", GalaxyZooTaxonomy.answer("Class11.5").name());
    // The catalogue skips a35 and numbers dust lane a38: map by name, never by number.
    assertEquals("t11_arms_number_a36_more_than_4", GalaxyZooTaxonomy.answer("Class11.5").gz2Column());
    assertEquals("t08_odd_feature_a38_dust_lane", GalaxyZooTaxonomy.answer("Class8.7").gz2Column());
    assertEquals("Class8.6", GalaxyZooTaxonomy.answer("odd: merger").id());
  }

  @Test
  void decisionTreeParentsMatchTheKaggleNormalisation() {
    String[] parents = {
      null, "Class1.2", "Class2.2", "Class2.2", "Class2.2", null,
      "Class1.1", "Class6.1", "Class2.1", "Class4.1", "Class4.1"
    };
    for (Question q : GalaxyZooTaxonomy.questions()) {
      assertEquals(parents[q.number() - 1], q.parent().map(Answer::id).orElse(null), q.label());
      q.parent().ifPresent(p -> assertTrue(p.question() < q.number(), "parents come first"));
    }
  }

  @Test
  void nextQuestionsMatchTheTree() {
    assertEquals(7, GalaxyZooTaxonomy.answer("smooth").next());
    assertTrue(GalaxyZooTaxonomy.answer("star or artifact").isTerminal());
    assertEquals(10, GalaxyZooTaxonomy.answer("spiral: yes").next());
    assertEquals(5, GalaxyZooTaxonomy.answer("spiral: no").next());
    assertTrue(GalaxyZooTaxonomy.answer("odd: dust lane").isTerminal());
  }

  @Test
  void sumsOfAConsistentLabelVector() {
    float[] labels = new float[37];
    labels[0] = 0.5f; // smooth
    labels[1] = 0.5f; // features
    labels[3] = 0.1f; // edge-on yes
    labels[4] = 0.4f; // edge-on no
    assertEquals(1.0, GalaxyZooTaxonomy.question(1).sum(labels), 1e-6);
    assertEquals(labels[1], GalaxyZooTaxonomy.question(2).expectedSum(labels), 1e-6);
    assertEquals(GalaxyZooTaxonomy.question(2).expectedSum(labels), GalaxyZooTaxonomy.question(2).sum(labels), 1e-6);
  }

  @Test
  void csvHeaderAndErrors() {
    assertTrue(GalaxyZooTaxonomy.csvHeader().startsWith("GalaxyID,Class1.1,Class1.2,"));
    assertTrue(GalaxyZooTaxonomy.csvHeader().endsWith(",Class11.6"));
    assertThrows(IllegalArgumentException.class, () -> GalaxyZooTaxonomy.answer("Class12.1"));
    assertThrows(IllegalArgumentException.class, () -> GalaxyZooTaxonomy.question(12));
  }
}
