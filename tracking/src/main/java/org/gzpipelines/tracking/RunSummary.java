package org.gzpipelines.tracking;

import java.util.Map;

/** A run as the tracking server reports it: identity, status, params, tags and latest metrics. */
public record RunSummary(
    String runId,
    String runName,
    String experimentId,
    String status,
    long startTime,
    long endTime,
    Map<String, String> params,
    Map<String, String> tags,
    Map<String, Double> latestMetrics) {}
