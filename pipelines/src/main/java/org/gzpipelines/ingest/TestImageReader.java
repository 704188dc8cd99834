package org.gzpipelines.ingest;

import java.io.Serializable;
import java.util.function.Consumer;
import org.gzpipelines.model.data.Preprocessing;
import org.gzpipelines.schemas.DeadLetter;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Split;

/**
 * Raw unlabelled images to the records a trained model reads, one image at a time inside the
 * caller's call: reads the file (or archive entry), takes the GalaxyID from its name, then crops
 * and resizes as ingest does ({@link ImagePreprocessor}); an image that cannot be used becomes a
 * dead letter, as in ingest. Used by {@code gz mergers} and {@code gz predict}, which predict each
 * record in the same call so that no image bytes or records are ever a step's output (the Direct
 * runner holds a step's whole output until the next step runs; docs/BENCHMARKS.md).
 */
public final class TestImageReader implements Serializable {
  private final ImagePreprocessor preprocessor;

  /** Prepares images as {@code image} says (the model's recorded preprocessing). */
  public TestImageReader(Preprocessing image) {
    this.preprocessor = new ImagePreprocessor(PreprocessParams.imageOnly(image));
  }

  /** The image file {@code source} (a name {@link ReadImages#list} gave). */
  public void read(String source, Consumer<Galaxy> galaxies, Consumer<DeadLetter> dead) {
    ImageFile image = ReadImages.read(source, dead);
    if (image != null) {
      accept(image, galaxies, dead);
    }
  }

  /** Every image entry of {@code archive}, in archive order; one entry's bytes in memory at a time. */
  public void readArchive(String archive, Consumer<Galaxy> galaxies, Consumer<DeadLetter> dead) {
    ArchiveEntries.walk(archive, (source, in) -> accept(new ImageFile(source, in.readAllBytes()), galaxies, dead),
        dead::accept);
  }

  private void accept(ImageFile image, Consumer<Galaxy> galaxies, Consumer<DeadLetter> dead) {
    Long id = image.galaxyId();
    if (id == null) {
      dead.accept(Problem.BAD_ID.deadLetter(image.source(), null, image.badNameReason()));
    } else {
      preprocessor.process(new LabelledImage(id, image, null, Split.TEST), galaxies, dead);
    }
  }
}
