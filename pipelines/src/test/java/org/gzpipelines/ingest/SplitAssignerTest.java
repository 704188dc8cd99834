package org.gzpipelines.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.util.SerializableUtils;
import org.gzpipelines.schemas.Split;
import org.junit.jupiter.api.Test;

class SplitAssignerTest {

  private static List<Split> assign(SplitAssigner a, int n) {
    List<Split> splits = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      splits.add(a.assign(100_000L + i));
    }
    return splits;
  }

  @Test
  void aboutEightyPercentTrain() {
    List<Split> splits = assign(new SplitAssigner(42, 0.8), 20_000);
    double train = splits.stream().filter(s -> s == Split.TRAIN).count() / 20_000.0;
    assertEquals(0.8, train, 0.01);
  }

  @Test
  void sameSeedSameSplitEvenAfterSerialization() {
    SplitAssigner a = new SplitAssigner(42, 0.8);
    SplitAssigner copy = SerializableUtils.clone(a);
    assertEquals(assign(a, 1000), assign(copy, 1000));
    assertEquals(assign(a, 1000), assign(new SplitAssigner(42, 0.8), 1000));
  }

  @Test
  void otherSeedOtherSplit() {
    assertNotEquals(assign(new SplitAssigner(42, 0.8), 1000), assign(new SplitAssigner(43, 0.8), 1000));
  }

  @Test
  void augmentationIsReproduciblePerGalaxyAndCopy() {
    Augmentation a = Augmentation.of(7, 100008, 1);
    assertEquals(a, Augmentation.of(7, 100008, 1));
    assertNotEquals(a, Augmentation.of(7, 100008, 2));
    assertEquals(new Augmentation(0, false), Augmentation.of(7, 100008, 0));
    for (int copy = 1; copy < 200; copy++) {
      double angle = Augmentation.of(7, 5, copy).rotationDegrees();
      assertTrue(angle >= 0 && angle < 360);
    }
  }
}
