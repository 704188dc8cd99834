package org.gzpipelines.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReduceLrOnPlateauTest {

  @Test
  void lowersAfterPatienceEvaluationsWithoutImprovementDownToMinLr() {
    ReduceLrOnPlateau p = new ReduceLrOnPlateau(0.1f, 0.5f, 2, 0.02f, 0);
    double[] losses = {1.0, 0.9, 0.95, 0.92, 0.91, 0.8, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85};
    // improvements at 1.0, 0.9, 0.8; after each 3rd non-improving evaluation the LR halves.
    float[] expected = {0.1f, 0.1f, 0.1f, 0.1f, 0.05f, 0.05f, 0.05f, 0.05f, 0.025f, 0.025f, 0.025f, 0.02f, 0.02f, 0.02f};
    List<Boolean> reduced = new ArrayList<>();
    for (int i = 0; i < losses.length; i++) {
      reduced.add(p.observe(losses[i]));
      assertEquals(expected[i], p.getNewValue(i * 100), 1e-9, "after evaluation " + i);
    }
    assertEquals(List.of(false, false, false, false, true, false, false, false, true, false, false, true, false, false),
        reduced);
    assertEquals(3, p.state().reductions());
  }

  @Test
  void stateRestoresExactly() {
    ReduceLrOnPlateau a = new ReduceLrOnPlateau(1f, 0.1f, 1, 0f, 0);
    for (double l : new double[] {3, 2, 2.5}) {
      a.observe(l);
    }
    ReduceLrOnPlateau b = new ReduceLrOnPlateau(1f, 0.1f, 1, 0f, 0);
    b.restore(a.state());
    for (double l : new double[] {2.5, 1.9, 2, 2}) {
      assertEquals(a.observe(l), b.observe(l));
      assertEquals(a.learningRate(), b.learningRate());
    }
  }

  @Test
  void thresholdIgnoresTinyImprovements() {
    ReduceLrOnPlateau p = new ReduceLrOnPlateau(1f, 0.5f, 0, 0f, 0.01);
    p.observe(1.0);
    assertEquals(true, p.observe(0.995)); // less than 1% better: counts as no improvement
    assertEquals(0.5f, p.learningRate());
  }
}
