#!/usr/bin/env bash
# End-to-end benchmark of the evaluate stage on synthetic data: gz synth -> gz ingest -> gz train
# (configs/demo.yaml, short budget) -> gz evaluate (Direct runner, with and without --tta) ->
# gz mergers on the raw test images -> gz compare. Prints the evaluate pipeline's images/s (every
# image read, predicted, written and summarised, divided by the pipeline's wall time) and the TTA
# RMSE change. Usage: bench/evaluate.sh [work dir] [labelled count] [test count]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${1:-/tmp/gz-bench-evaluate}"
COUNT="${2:-3000}"
TEST_COUNT="${3:-2000}"
export GZ_RUNS_DIR="$WORK/runs"
gz() { "$ROOT/gz" "$@"; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
[ -f "$WORK/synth/truth.json" ] || gz synth --out "$WORK/synth" --count "$COUNT" --test-count "$TEST_COUNT" \
  --merger-fraction 0.15 --test-merger-fraction 0.1
gz ingest --images "$WORK/synth/images_training_rev1" --labels "$WORK/synth/training_solutions_rev1.csv" --out "$WORK/data"
gz ingest --images "$WORK/synth/images_test_rev1" --out "$WORK/test"
# Evaluate val + test together: the test split of the unlabelled ingest beside the labelled one.
ln -sfn "$WORK/test/test" "$WORK/data/test"
RUN_DIR="$(ls -td "$GZ_RUNS_DIR"/*/ 2>/dev/null | while read -r d; do [ -d "$d/train/best-model" ] && echo "$d" && break; done)"
if [ -z "$RUN_DIR" ]; then
  gz train --config "$ROOT/configs/demo.yaml" --data "$WORK/data" --max-images 6000
  RUN_DIR="$(ls -td "$GZ_RUNS_DIR"/*/ | while read -r d; do [ -d "$d/train/best-model" ] && echo "$d" && break; done)"
fi
gz evaluate --model "$RUN_DIR" --data "$WORK/data" --output "$WORK/evaluate"
gz evaluate --model "$RUN_DIR" --data "$WORK/data" --output "$WORK/evaluate-tta" --tta
gz mergers --model "$RUN_DIR" --images "$WORK/synth/images_test_rev1" --output "$WORK/mergers"
gz compare "$(basename "$RUN_DIR")" --output "$WORK/compare"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
