package org.gzpipelines.mergers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MergersParamsTest {

  private static List<String> problems(String decision, double threshold) {
    MergersParams p = new MergersParams();
    p.decision = decision;
    p.threshold = threshold;
    List<String> problems = new ArrayList<>();
    p.validate("mergers", problems);
    return problems;
  }

  @Test
  void aDecisionIsAutoOrAVoteFractionAboveZero() {
    assertEquals(List.of(), problems(null, 0.4));
    assertEquals(List.of(), problems("auto", 0.4));
    assertEquals(List.of(), problems("AUTO", 0.4));
    assertEquals(List.of(), problems("0.25", 0.4));
    assertEquals(List.of("'mergers.decision': must be 'auto' or a vote fraction such as 0.3, was 'half'"),
        problems("half", 0.4));
    assertEquals(List.of("'mergers.decision': must be above 0 and at most 1, was 0.0"), problems("0", 0.4));
    assertEquals(List.of("'mergers.threshold': must be above 0 and at most 1, was 0.0"), problems("auto", 0));
  }

  @Test
  void aFixedDecisionIsUsedAsGivenAndAutoNeedsValidationGalaxies() {
    MergersParams p = new MergersParams();
    double[] predicted = {0.1, 0.2, 0.3, 0.35};
    double[] truth = {0.0, 0.1, 0.5, 0.6};
    MergerCriterion breakEven = MergerCriterion.breakEven(0.4, predicted, truth);
    assertEquals(0.4, p.criterion(breakEven).decision(), "unset: the threshold");
    p.decision = MergersParams.AUTO;
    assertEquals(0.3, p.criterion(breakEven).decision(), "auto: the second highest prediction");
    assertEquals(0.4, p.criterion(MergerCriterion.breakEven(0.4, new double[0], new double[0])).decision(),
        "no validation split: the threshold");
    p.decision = "0.15";
    assertEquals(0.15, p.criterion(breakEven).decision());
    assertEquals(0.4, p.criterion(breakEven).threshold());
  }
}
