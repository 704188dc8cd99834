package org.gzpipelines.tracking;

/**
 * One logged value of a metric: what a metric history (for comparison plots) is made of. Equality
 * compares the value with {@link Double#compare} (NaN equals NaN), as a record does.
 */
public record MetricPoint(String key, double value, long step, long timestamp) {}
