package org.gzpipelines.explore;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sample;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.gzpipelines.explore.ExploreResults.Image;
import org.gzpipelines.run.PipelineRunner;
import org.gzpipelines.ingest.IngestedShards;
import org.gzpipelines.schemas.DeadLetter;
import org.gzpipelines.schemas.Galaxy;
import org.gzpipelines.taxonomy.GalaxyZooTaxonomy;

/**
 * The explore pipeline: reads an ingested dataset once and computes, with combiners whose state
 * does not grow with the data, everything the report shows; the small results are assembled
 * into one {@link ExploreResults} and written as {@code results.json}.
 */
public final class ExplorePipeline {
  /** Name of the results file in the report folder. */
  public static final String RESULTS_FILE = "results.json";
  /** Dead-letter reasons quoted in the report. */
  static final int DEAD_LETTER_EXAMPLES = 5;

  private ExplorePipeline() {}

  /** Builds the pipeline; {@code run} executes it. */
  public static Pipeline build(PipelineOptions options, ExploreParams params) {
    Pipeline p = Pipeline.create(options);
    String data = params.data;

    PCollection<GalaxyRow> galaxies = p.apply("ReadIngested", new ReadIngested(data));
    // A label vector of another length is not ingest's output; DatasetCounts counts and reports it.
    PCollection<LabelVector> labels = galaxies
        .apply("LabelledOriginals", Filter.by((GalaxyRow g) -> g.isOriginal() && g.labels() != null
            && g.labels().length == GalaxyZooTaxonomy.ANSWER_COUNT))
        .apply("Labels", MapElements.into(TypeDescriptor.of(LabelVector.class)).via(LabelVector::of))
        .setCoder(LabelVector.LabelVectorCoder.of());

    PCollectionView<DatasetCounts.Tally> tally = galaxies.apply("DatasetCounts", new DatasetCounts());
    PCollectionView<List<Galaxy>> sample =
        galaxies.apply("RandomSample", new RandomSample(data, params.sampleSize, params.seed));
    PCollectionView<Map<String, LabelStatistics.Summaries>> statistics =
        labels.apply("LabelStatistics", new LabelStatistics());
    PCollectionView<LabelCorrelation.CoMoments> correlation =
        labels.apply("LabelCorrelation", new LabelCorrelation());
    PCollectionView<TreeConsistency.Deviations> tree =
        labels.apply("TreeConsistency", new TreeConsistency());
    PCollectionView<Map<Integer, Galaxy>> prototypes = labels.apply("Prototypes", new Prototypes(data));

    PCollection<String> reasons = p
        .apply("ReadDeadLetters", AvroIO.read(DeadLetter.class)
            .from(IngestedShards.glob(data, "dead-letter"))
            .withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
        .apply("Reasons", MapElements.into(TypeDescriptors.strings())
            .via((DeadLetter d) -> d.getSource() + ": " + d.getReason()));
    PCollectionView<Long> deadLetters = reasons.apply("CountDeadLetters",
        org.apache.beam.sdk.transforms.Combine.globally(Count.<String>combineFn()).asSingletonView());
    PCollectionView<Iterable<String>> deadExamples = reasons
        .apply("SomeReasons", Sample.fixedSizeGlobally(DEAD_LETTER_EXAMPLES))
        .apply("ReasonsView", View.asSingleton());

    Assemble assemble = new Assemble(data, params.seed, tally, sample, statistics, correlation,
        tree, prototypes, deadLetters, deadExamples);
    p.apply("One", Create.of(data).withCoder(StringUtf8Coder.of()))
        .apply("AssembleResults", ParDo.of(assemble).withSideInputs(assemble.views()))
        .apply("WriteResults", TextIO.write()
            .to(params.reportDir().toAbsolutePath().resolve("results").toString())
            .withSuffix(".json").withoutSharding());
    return p;
  }

  /** Runs the pipeline to completion on {@code runner} and reads back its results. */
  public static ExploreResults run(ExploreParams params, PipelineRunner runner) throws IOException {
    Files.createDirectories(params.reportDir());
    runner.run(build(runner.options("explore"), params));
    return ExploreResults.read(params.reportDir().resolve(RESULTS_FILE));
  }

  /** Gathers the singleton results (side inputs) into one {@link ExploreResults} JSON. */
  static final class Assemble extends DoFn<String, String> {
    private final String data;
    private final long seed;
    private final PCollectionView<DatasetCounts.Tally> tally;
    private final PCollectionView<List<Galaxy>> sample;
    private final PCollectionView<Map<String, LabelStatistics.Summaries>> statistics;
    private final PCollectionView<LabelCorrelation.CoMoments> correlation;
    private final PCollectionView<TreeConsistency.Deviations> tree;
    private final PCollectionView<Map<Integer, Galaxy>> prototypes;
    private final PCollectionView<Long> deadLetters;
    private final PCollectionView<Iterable<String>> deadExamples;

    Assemble(String data, long seed, PCollectionView<DatasetCounts.Tally> tally,
        PCollectionView<List<Galaxy>> sample,
        PCollectionView<Map<String, LabelStatistics.Summaries>> statistics,
        PCollectionView<LabelCorrelation.CoMoments> correlation,
        PCollectionView<TreeConsistency.Deviations> tree,
        PCollectionView<Map<Integer, Galaxy>> prototypes, PCollectionView<Long> deadLetters,
        PCollectionView<Iterable<String>> deadExamples) {
      this.data = data;
      this.seed = seed;
      this.tally = tally;
      this.sample = sample;
      this.statistics = statistics;
      this.correlation = correlation;
      this.tree = tree;
      this.prototypes = prototypes;
      this.deadLetters = deadLetters;
      this.deadExamples = deadExamples;
    }

    List<PCollectionView<?>> views() {
      return List.of(tally, sample, statistics, correlation, tree, prototypes, deadLetters, deadExamples);
    }

    @ProcessElement
    public void process(ProcessContext c) {
      ExploreResults r = new ExploreResults();
      r.dataDir = data;
      r.seed = seed;
      c.sideInput(tally).into(r);
      r.deadLetters = c.sideInput(deadLetters);
      c.sideInput(deadExamples).forEach(r.deadLetterExamples::add);
      for (Galaxy g : c.sideInput(sample)) {
        r.sample.add(Images.of(g));
      }
      c.sideInput(statistics).forEach((key, summaries) -> r.labelStatistics.put(key, summaries.labels));
      LabelCorrelation.CoMoments moments = c.sideInput(correlation);
      r.correlationCount = moments.count();
      r.correlation = moments.count() > 1 ? moments.correlation() : null;
      if (r.correlationCount > 0) {
        r.treeConsistency.addAll(c.sideInput(tree).questions);
      }
      new java.util.TreeMap<>(c.sideInput(prototypes)).forEach((label, g) -> {
        Image image = Images.of(g);
        image.labelIndex = label;
        image.labelName = GalaxyZooTaxonomy.answers().get(label).name();
        image.labelValue = g.getLabels().get(label);
        r.prototypes.add(image);
      });
      c.output(r.toJson());
    }
  }
}
