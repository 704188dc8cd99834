package org.gzpipelines.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PValue;
import org.gzpipelines.predict.ModelRef;
import org.gzpipelines.schemas.Galaxy;

/**
 * Coders seen by the memory-bound tests, which look for image-carrying collections in a pipeline
 * graph, and the model and raw inputs they build graphs for.
 */
public final class Coders {
  /** A model that building a graph does not load. */
  public static final ModelRef UNLOADED_MODEL = new ModelRef(Path.of("model-not-loaded-to-build-the-graph"), null);

  private Coders() {}

  /**
   * Whether {@code coder}, or any coder nested in it (a KV's, an Iterable's, ...), encodes Galaxy
   * records (preprocessed pixels, ~14 KB each: AvroCoder of Galaxy) or bytes (encoded images:
   * ByteArrayCoder, or a ByteBuffer): what a collection must not carry to keep the heap bounded.
   */
  public static boolean carriesImages(Coder<?> coder) {
    Class<?> type = coder.getEncodedTypeDescriptor().getRawType();
    if (type == byte[].class || ByteBuffer.class.isAssignableFrom(type) || Galaxy.class.isAssignableFrom(type)) {
      return true;
    }
    return coder instanceof StructuredCoder<?> structured && structured.getComponents().stream().anyMatch(Coders::carriesImages);
  }

  /**
   * Every collection of {@code pipeline} that carries images, as "step outputs coder" (the step's
   * full name first). An Impulse's output is left out: the one empty byte array that starts every
   * read.
   */
  public static List<String> imageCarriers(Pipeline pipeline) {
    List<String> carriers = new ArrayList<>();
    pipeline.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public void visitValue(PValue value, TransformHierarchy.Node producer) {
        if (value instanceof PCollection<?> collection && !(producer.getTransform() instanceof Impulse)
            && carriesImages(collection.getCoder())) {
          carriers.add(producer.getFullName() + " outputs " + describe(collection.getCoder()));
        }
      }
    });
    return carriers;
  }

  /** {@code coder} with all nested component coders, by class and by the type they encode (so AvroCoder<Galaxy> reads as such). */
  public static String describe(Coder<?> coder) {
    StringBuilder s = new StringBuilder(coder.getClass().getName()).append('<').append(coder.getEncodedTypeDescriptor()).append('>');
    if (coder instanceof StructuredCoder<?> structured) {
      s.append('(');
      for (Coder<?> component : structured.getComponents()) {
        s.append(describe(component)).append(',');
      }
      s.append(')');
    }
    return s.toString();
  }

  /** A folder and a zip of images under {@code tmp}: only their kind matters to a pipeline graph. */
  public static List<Path> rawInputs(Path tmp) throws IOException {
    Path folder = Files.createDirectories(tmp.resolve("images"));
    Files.write(folder.resolve("1.jpg"), new byte[] {1});
    Path zip = Files.write(tmp.resolve("images.zip"), new byte[] {1});
    return List.of(folder, zip);
  }
}
