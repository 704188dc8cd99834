/**
 * The explore stage ({@code gz explore}): everything a user needs to understand an ingested
 * Galaxy Zoo dataset, computed by a Beam pipeline and drawn by a separate renderer.
 *
 * <p>{@link org.gzpipelines.explore.ExplorePipeline} reads the Avro shards once and applies a few
 * named composite transforms: {@link org.gzpipelines.explore.DatasetCounts}, {@link
 * org.gzpipelines.explore.LabelStatistics}, {@link org.gzpipelines.explore.LabelCorrelation},
 * {@link org.gzpipelines.explore.TreeConsistency}, {@link org.gzpipelines.explore.Prototypes}
 * and {@link org.gzpipelines.explore.RandomSample}. Their small results are gathered into one
 * {@link org.gzpipelines.explore.ExploreResults} ({@code results.json}); {@link
 * org.gzpipelines.explore.ExploreFigures} and {@link org.gzpipelines.explore.ExploreReport} turn
 * that into PNG figures and one self-contained {@code report.html}; {@link
 * org.gzpipelines.explore.ExploreTracking} logs it all to MLflow.
 *
 * <p>Memory: no step collects records. Every aggregate is a {@code CombineFn} (lifted by the
 * Direct and Flink runners, so each worker keeps one accumulator per key and bundle) whose state
 * does not grow with the data: counters; 37 x (moments + 200 histogram bins) per split key;
 * 37 x 37 co-moments; 11 x (moments + 40 self-widening bins); Top-1 (value, id) pairs per label;
 * Top-N (25) records for the seeded sample; a 5-element dead-letter sample. The only pass that
 * touches pixels after reading keeps the 37 prototype images, picked by a side input of 37 ids.
 * So the heap needed is a constant (a few MB plus the runner's bundles) whatever the dataset size.
 */
package org.gzpipelines.explore;
