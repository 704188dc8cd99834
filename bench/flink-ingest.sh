#!/usr/bin/env bash
# Ingest throughput: Direct runner vs a standalone Flink cluster at parallelism 1 and 2, on one
# synthetic Galaxy Zoo set. Also times the cluster's start. Run it on an otherwise idle machine.
#
#   bench/flink-ingest.sh [--count N (10000)] [--runs R (1)] [--port P (8091)]
#
# Writes the data under .cache/bench/synth<N> (kept, reused) and prints one line per run:
#   runner parallelism images seconds images/s
# Seconds are the wall time of the whole `gz ingest` command (JVM start, and for Flink job
# translation and job jar staging included), which is what a user waits for.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COUNT=10000 RUNS=1 PORT=8091
while [ $# -gt 0 ]; do
  case "$1" in
    --count) COUNT="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    *) echo "usage: $0 [--count N] [--runs R] [--port P]" >&2; exit 2 ;;
  esac
done
cd "$ROOT"
DATA=".cache/bench/synth$COUNT"
OUT=".cache/bench/out"
if [ ! -f "$DATA/training_solutions_rev1.csv" ]; then
  ./gz synth --out "$DATA" --count "$COUNT" --seed 7
fi

# A cluster of its own (state under .cache/bench/flink, REST on $PORT), stopped on exit.
export GZ_FLINK_HOME="$ROOT/.cache/bench/flink"
trap 'infra/flink/stop.sh >/dev/null' EXIT
infra/flink/stop.sh >/dev/null
t0=$(date +%s.%N)
infra/flink/start.sh --taskmanagers 2 --port "$PORT" --rpc-port $((PORT + 1000)) | tail -n 2
echo "cluster start: $(echo "$(date +%s.%N) - $t0" | bc) s (2 TaskManagers, load $(cut -d' ' -f1 /proc/loadavg))"

# Build once (and the job jar) outside the timings.
./gz ingest --help >/dev/null
./gz ingest --runner flink --flink-master "127.0.0.1:$PORT" --help >/dev/null

ingest() { # label args...
  local label="$1" t s
  shift
  rm -rf "$OUT"
  t=$(date +%s.%N)
  ./gz ingest --images "$DATA/images_training_rev1" --labels "$DATA/training_solutions_rev1.csv" \
    --out "$OUT" "$@" >".cache/bench/ingest-$label.log" 2>&1 ||
    { echo "ingest $label failed; see .cache/bench/ingest-$label.log" >&2; tail -n 5 ".cache/bench/ingest-$label.log" >&2; exit 1; }
  s=$(echo "$(date +%s.%N) - $t" | bc)
  printf '%-8s %s %6d %8.1f %8.1f\n' "$label" "${*: -1}" "$COUNT" "$s" "$(echo "$COUNT / $s" | bc -l)"
}

echo "runner   p images  seconds images/s"
for ((r = 1; r <= RUNS; r++)); do
  ingest direct --runner direct --parallelism 2
  ingest flink --runner flink --flink-master "127.0.0.1:$PORT" --parallelism 1
  ingest flink --runner flink --flink-master "127.0.0.1:$PORT" --parallelism 2
done
