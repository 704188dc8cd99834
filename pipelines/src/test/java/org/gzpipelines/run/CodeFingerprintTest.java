package org.gzpipelines.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.apache.beam.sdk.Pipeline;
import org.gzpipelines.synth.Synth;
import org.junit.jupiter.api.Test;

/** A package's fingerprint is its classes': the same on every call, different for other code, from a folder or a jar. */
class CodeFingerprintTest {

  @Test
  void fingerprintsFollowTheClassesOfOnePackage() {
    String synth = CodeFingerprint.of(Synth.class);
    assertEquals(64, synth.length());
    assertEquals(synth, CodeFingerprint.of(Synth.class));
    assertEquals(synth, CodeFingerprint.of(org.gzpipelines.synth.SyntheticDataset.class), "one package, one fingerprint");
    assertNotEquals(synth, CodeFingerprint.of(Study.class));
    // Beam's classes come from a jar: the same reading of entries applies.
    String beam = CodeFingerprint.of(Pipeline.class);
    assertEquals(beam, CodeFingerprint.of(Pipeline.class));
    assertNotEquals(synth, beam);
  }
}
