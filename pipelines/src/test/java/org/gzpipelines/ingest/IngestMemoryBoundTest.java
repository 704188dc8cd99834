package org.gzpipelines.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.Materializations;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PValue;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.schemas.Split;
import org.gzpipelines.testing.Coders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Direct runner holds the whole input of a GroupByKey in memory, so ingest keeps its heap
 * bounded only if no GroupByKey carries encoded images (bytes) or Galaxy records (preprocessed
 * pixels).
 * Checked on the pipeline graph rather than by running with a small heap: surefire's one JVM has
 * one heap for all tests, and a timing- or heap-based check would be flaky.
 */
class IngestMemoryBoundTest {

  @Test
  void noGroupByKeyCarriesImageBytes(@TempDir Path tmp) throws Exception {
    Fixtures.Input raw = Fixtures.writeInput(tmp, 3, 64);
    List<Path> archives = raw.writeArchives("images");

    for (Path input : List.of(raw.images(), archives.get(0), archives.get(1))) {
      for (Path labelsFile : new Path[] {raw.labels(), null}) {
        List<Coder<?>> shuffled = groupByKeyInputCoders(pipeline(input, labelsFile, tmp.resolve("out")));
        String what = input.getFileName() + (labelsFile == null ? " unlabelled" : " with labels");
        assertFalse(shuffled.isEmpty(), what + ": expected the id join's GroupByKey");
        for (Coder<?> coder : shuffled) {
          // The id join groups names and labels; WriteShards groups only temporary file paths.
          assertFalse(Coders.carriesImages(coder), what + ": a GroupByKey shuffles images: " + Coders.describe(coder));
        }
      }
    }
  }

  /**
   * Stronger than the GroupByKey check: the Direct runner holds every step's output until the next
   * step has run over all bundles (it runs steps breadth-first), so no collection at all may carry
   * image bytes or records; they live only inside the call that reads, preprocesses and writes them.
   */
  @Test
  void noCollectionCarriesImageBytesOrRecords(@TempDir Path tmp) throws Exception {
    Fixtures.Input raw = Fixtures.writeInput(tmp, 3, 64);
    List<Path> archives = raw.writeArchives("images");
    for (Path input : List.of(raw.images(), archives.get(0), archives.get(1))) {
      for (Path labelsFile : new Path[] {raw.labels(), null}) {
        String what = input.getFileName() + (labelsFile == null ? " unlabelled" : " with labels");
        assertEquals(List.of(), Coders.imageCarriers(pipeline(input, labelsFile, tmp.resolve("out"))), what);
      }
    }
  }

  /**
   * Beam 2.70's Direct runner rebuilds a map side input from all its entries on every sideInput()
   * call, so a map looked up per image makes ingest quadratic (61,578 images did not finish in 18
   * minutes). A folder's ingest takes no map side input at all; an archive's, one read per archive.
   */
  @Test
  void aFolderIngestLooksUpNoMapSideInput(@TempDir Path tmp) throws Exception {
    Fixtures.Input raw = Fixtures.writeInput(tmp, 3, 64);
    for (Path labelsFile : new Path[] {raw.labels(), null}) {
      List<String> maps = new ArrayList<>();
      pipeline(raw.images(), labelsFile, tmp.resolve("out")).traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
        @Override
        public void visitPrimitiveTransform(TransformHierarchy.Node node) {
          for (PCollectionView<?> view : sideInputs(node)) {
            if (Materializations.MULTIMAP_MATERIALIZATION_URN.equals(view.getViewFn().getMaterialization().getUrn())) {
              maps.add(node.getFullName());
            }
          }
        }
      });
      assertEquals(List.of(), maps, labelsFile == null ? "unlabelled" : "with labels");
    }
  }

  private static List<PCollectionView<?>> sideInputs(TransformHierarchy.Node node) {
    if (node.getTransform() instanceof ParDo.MultiOutput<?, ?> parDo) {
      return List.copyOf(parDo.getSideInputs().values());
    }
    if (node.getTransform() instanceof ParDo.SingleOutput<?, ?> parDo) {
      return List.copyOf(parDo.getSideInputs().values());
    }
    return List.of();
  }

  @Test
  void theCheckSeesImageBytesInsideNestedCoders() {
    Pipeline p = Pipeline.create();
    p.apply(org.apache.beam.sdk.transforms.Create.of(new byte[] {1}).withCoder(ByteArrayCoder.of()))
        .apply(org.apache.beam.sdk.transforms.WithKeys.of(1))
        .setCoder(KvCoder.of(VarIntCoder.of(), ByteArrayCoder.of()))
        .apply(GroupByKey.create());
    List<Coder<?>> coders = groupByKeyInputCoders(p);
    assertEquals(1, coders.size());
    assertTrue(Coders.carriesImages(coders.get(0)), Coders.describe(coders.get(0)));
  }

  @Test
  void theCheckTellsImagesInsideGroupsFromNamesAndCounts() {
    assertTrue(Coders.carriesImages(KvCoder.of(StringUtf8Coder.of(), IterableCoder.of(ByteArrayCoder.of()))));
    assertFalse(Coders.carriesImages(KvCoder.of(StringUtf8Coder.of(), IterableCoder.of(VarLongCoder.of()))));
  }

  @Test
  void theCheckSeesGalaxyRecordsInsideNestedCoders() {
    Pipeline p = Pipeline.create();
    Galaxy g = Galaxy.newBuilder().setGalaxyId(1).setLabels(null).setHeight(1).setWidth(1).setChannels(3)
        .setPixels(java.nio.ByteBuffer.wrap(new byte[3])).setSplit(Split.TEST).setRotationDegrees(0).setFlipped(false)
        .setCopyIndex(0).build();
    p.apply(org.apache.beam.sdk.transforms.Create.of(g).withCoder(AvroCoder.of(Galaxy.class)))
        .apply(org.apache.beam.sdk.transforms.WithKeys.of(1))
        .setCoder(KvCoder.of(VarIntCoder.of(), AvroCoder.of(Galaxy.class)))
        .apply(GroupByKey.create());
    List<Coder<?>> coders = groupByKeyInputCoders(p);
    assertEquals(1, coders.size());
    assertTrue(Coders.carriesImages(coders.get(0)), Coders.describe(coders.get(0)));
  }

  private static Pipeline pipeline(Path images, Path labels, Path out) throws Exception {
    Files.createDirectories(out);
    IngestParams params = new IngestParams();
    params.images = images.toString();
    params.labels = labels == null ? null : labels.toString();
    return IngestPipeline.create(PipelineOptionsFactory.create(), params, out.toString());
  }

  /** The coder of every GroupByKey's input, as the Direct runner groups it. */
  private static List<Coder<?>> groupByKeyInputCoders(Pipeline pipeline) {
    List<Coder<?>> coders = new ArrayList<>();
    pipeline.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public void visitPrimitiveTransform(TransformHierarchy.Node node) {
        if (node.getTransform() instanceof GroupByKey) {
          for (PValue in : node.getInputs().values()) {
            PCollection<?> input = (PCollection<?>) in;
            Coder<?> lifted = liftedByDirectRunner(node.getEnclosingNode(), input);
            coders.add(lifted != null ? lifted : input.getCoder());
          }
        }
      }
    });
    return coders;
  }

  /**
   * The Direct runner lifts a Combine.perKey of a plain CombineFn in non-merging windows with the
   * default trigger (its MultiStepCombine override): bundles are combined first, so its GroupByKey
   * carries KV(key, accumulator), not the input values. Returns that coder, or null when the
   * GroupByKey is not such a combine's and groups its input as it is.
   */
  private static Coder<?> liftedByDirectRunner(TransformHierarchy.Node parent, PCollection<?> input) {
    if (parent == null || !(parent.getTransform() instanceof Combine.PerKey<?, ?, ?> perKey)
        || !(perKey.getFn() instanceof Combine.CombineFn<?, ?, ?> fn)
        || input.getWindowingStrategy().needsMerge()
        || !DefaultTrigger.of().equals(input.getWindowingStrategy().getTrigger())
        || !(input.getCoder() instanceof KvCoder<?, ?> kv)) {
      return null;
    }
    try {
      @SuppressWarnings("unchecked")
      Combine.CombineFn<Object, ?, ?> combineFn = (Combine.CombineFn<Object, ?, ?>) fn;
      @SuppressWarnings("unchecked")
      Coder<Object> valueCoder = (Coder<Object>) kv.getValueCoder();
      return KvCoder.of(kv.getKeyCoder(), combineFn.getAccumulatorCoder(input.getPipeline().getCoderRegistry(), valueCoder));
    } catch (CannotProvideCoderException e) {
      return null; // not lifted: the runner groups the values themselves
    }
  }
}
