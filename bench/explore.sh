#!/usr/bin/env bash
# Explore benchmark: writes N random Galaxy records (default 10,000, 64x64x3, 8 shards) as an
# ingested dataset, then times `gz explore` on it. Usage: bench/explore.sh [records] [runner]
# Tracking goes to a throw-away offline runs folder unless MLFLOW_TRACKING_URI is set.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-10000}"
RUNNER="${2:-direct}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# The test classes (the random-dataset writer) on the test classpath; gz's own holds only the runtime.
mvn -q -B -o -f "$ROOT/pom.xml" -pl pipelines -am test-compile \
  dependency:build-classpath -Dmdep.outputFile=target/test.classpath -DincludeScope=test >&2
"$ROOT/gz" --version >/dev/null   # builds the CLI and its classpath outside the timed part
CP="$ROOT/pipelines/target/test-classes:$ROOT/pipelines/target/classes:$(cat "$ROOT/pipelines/target/test.classpath")"
java -cp "$CP" org.gzpipelines.explore.WriteRandomIngested "$WORK/data" "$N" 64 8
echo "explore benchmark: $N records ($(du -sh "$WORK/data" | cut -f1) of Avro), runner $RUNNER, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

export GZ_RUNS_DIR="${GZ_RUNS_DIR:-$WORK/runs}"
# Wall time includes JVM start and report rendering; CPU seconds are less sensitive to other load.
GZ_JAVA_OPTS="${GZ_JAVA_OPTS:--Xmx512m}" /usr/bin/time -f "explore: $N records, %e s wall, %U s user + %S s sys CPU, max RSS %M KB" \
  "$ROOT/gz" explore --data "$WORK/data" --out "$WORK/report" --runner "$RUNNER" \
  2> >(grep -vE ' INFO |WARN org.apache.flink.metrics|FileBasedSink - Failed to match temporary' >&2)
