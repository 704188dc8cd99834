package org.gzpipelines.ingest;

import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.gzpipelines.schemas.Split;

/** Labelled galaxies go to TRAIN or VAL by {@link SplitAssigner}; unlabelled ones to TEST. */
public final class AssignSplit extends PTransform<PCollection<LabelledImage>, PCollection<LabelledImage>> {
  private final SplitAssigner assigner;

  public AssignSplit(SplitAssigner assigner) {
    this.assigner = assigner;
  }

  @Override
  public PCollection<LabelledImage> expand(PCollection<LabelledImage> input) {
    SplitAssigner splits = assigner;
    return input
        .apply("Assign", MapElements.into(TypeDescriptor.of(LabelledImage.class))
            .via((LabelledImage g) -> g.withSplit(g.labels() == null ? Split.TEST : splits.assign(g.galaxyId()))))
        .setCoder(LabelledImage.Coder.of());
  }
}
