package org.gzpipelines.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DihedralTest {

  /** A 3x3 two-channel image whose pixels are all distinct. */
  private static byte[] image() {
    byte[] px = new byte[3 * 3 * 2];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) i;
    }
    return px;
  }

  @Test
  void theEightSymmetriesAreDistinctPermutationsOfThePixels() {
    Set<List<Byte>> seen = new HashSet<>();
    for (int k = 0; k < Dihedral.COUNT; k++) {
      byte[] t = Dihedral.apply(image(), 3, 2, k);
      List<Byte> asList = new java.util.ArrayList<>();
      for (byte b : t) {
        asList.add(b);
      }
      seen.add(asList);
      // Channels of a pixel stay together.
      for (int p = 0; p < 9; p++) {
        assertEquals(t[2 * p] + 1, t[2 * p + 1]);
      }
      assertEquals(new HashSet<>(bytes(image())), new HashSet<>(asList));
    }
    assertEquals(8, seen.size());
  }

  @Test
  void fourQuarterTurnsAndTwoFlipsAreTheIdentity() {
    byte[] x = image();
    byte[] r = x;
    for (int i = 0; i < 4; i++) {
      r = Dihedral.apply(r, 3, 2, 2);
    }
    assertArrayEquals(x, r);
    assertArrayEquals(x, Dihedral.apply(Dihedral.apply(x, 3, 2, 1), 3, 2, 1));
  }

  private static List<Byte> bytes(byte[] b) {
    List<Byte> out = new java.util.ArrayList<>();
    for (byte x : b) {
      out.add(x);
    }
    return out;
  }
}
