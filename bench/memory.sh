#!/usr/bin/env bash
# Memory benchmark: peak RSS of `gz ingest` and `gz train` on two synthetic dataset sizes
# (default 10,000 and 40,000 galaxies). Bounded memory means the peak does not grow with the size.
# Usage: bench/memory.sh [small] [large]. Needs ~2 GB of disk per 10,000 images; prints one line
# per measurement. Training uses the demo network and a fixed budget of images seen, so both
# sizes do the same work and only the dataset differs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZES=("${1:-10000}" "${2:-40000}")
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export GZ_RUNS_DIR="$WORK/runs"
unset MLFLOW_TRACKING_URI   # measure the stages, not the tracking server

"$ROOT/gz" --version >/dev/null   # build outside the measured part
echo "memory benchmark: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), heap ${GZ_JAVA_OPTS:--Xmx6g}" >&2
for n in "${SIZES[@]}"; do
  "$ROOT/gz" synth --out "$WORK/synth$n" --count "$n" --test-count 0 >/dev/null
  /usr/bin/time -f "ingest: $n images, %e s wall, max RSS %M KB" \
    "$ROOT/gz" ingest --images "$WORK/synth$n/images_training_rev1" \
      --labels "$WORK/synth$n/training_solutions_rev1.csv" --out "$WORK/data$n" >/dev/null
  /usr/bin/time -f "train: $n images in the dataset, 6,400 images seen, %e s wall, max RSS %M KB" \
    "$ROOT/gz" train --config "$ROOT/configs/demo.yaml" --data "$WORK/data$n" --max-images 6400 >/dev/null
  rm -rf "$WORK/synth$n"
done
