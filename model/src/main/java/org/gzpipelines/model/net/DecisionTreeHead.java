package org.gzpipelines.model.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;
import org.gzpipelines.taxonomy.Question;

/**
 * The Galaxy Zoo decision-tree output head (Dieleman et al. 2015): turns 37 logits into 37 vote
 * fractions that satisfy the Kaggle normalisation by construction. Each question's answers get a
 * softmax (conditional probabilities), which is then multiplied by the value of the question's
 * parent answer; questions are visited in number order, where every parent comes before its
 * children. Q1 and Q6 have no parent (factor 1).
 *
 * <p>No parameters: put it after a 37-unit linear layer.
 */
public final class DecisionTreeHead extends AbstractBlock {

  private static final byte VERSION = 1;

  public DecisionTreeHead() {
    super(VERSION);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray logits = inputs.singletonOrThrow();
    NDArray[] perQuestion = new NDArray[GalaxyZooTaxonomy.QUESTION_COUNT];
    for (Question q : GalaxyZooTaxonomy.questions()) {
      int from = q.firstIndex();
      NDArray p = logits.get(new NDIndex(":, {}:{}", from, from + q.size())).softmax(1);
      if (q.parent().isPresent()) {
        int parentIndex = q.parent().get().index();
        int parentQuestion = q.parent().get().question();
        int col = parentIndex - GalaxyZooTaxonomy.question(parentQuestion).firstIndex();
        NDArray parentValue = perQuestion[parentQuestion - 1].get(new NDIndex(":, {}:{}", col, col + 1));
        p = p.mul(parentValue);
      }
      perQuestion[q.number() - 1] = p;
    }
    // Questions hold contiguous answer ranges in Kaggle order, so concatenating them in question
    // order gives the 37 outputs in label order.
    return new NDList(NDArrays.concat(new NDList(perQuestion), 1));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
