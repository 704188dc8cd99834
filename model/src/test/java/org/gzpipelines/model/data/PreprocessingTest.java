package org.gzpipelines.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Whether images stored one way can go to a model trained on images stored another way. */
class PreprocessingTest {

  private static final Preprocessing KAGGLE = Preprocessing.DEFAULTS; // 207 of 424, to 69

  @Test
  void theSameFieldOfViewAtAnotherImageSizePasses() {
    assertNull(Preprocessing.of(256, 125, 69).mismatch(KAGGLE), "125 of 256 is 207 of 424 within a pixel");
    assertEquals(125, KAGGLE.cropFor(256));
    assertNull(Preprocessing.of(0, 207, 69).mismatch(KAGGLE), "any size: nothing to compare");
  }

  @Test
  void anotherFieldOfViewOrStoredSizeIsNamed() {
    String zoomedOut = Preprocessing.of(256, 207, 69).mismatch(KAGGLE);
    assertTrue(zoomedOut.startsWith("its crop is 207 of 256 pixels (81% of the frame), the model was trained on 207 of"
        + " 424 (49%), so it would see every galaxy at 0.60x the size it knows"), zoomedOut);
    assertEquals("its images are 50x50, the model takes 69x69", Preprocessing.of(424, 207, 50).mismatch(KAGGLE));
  }
}
