#!/usr/bin/env bash
# What colour hides in issue 12's transfer numbers: the config's CNN (default configs/demo.yaml)
# trained four ways and scored by gz real-sample on the held-out half of a real sample (spirals/
# and non_spirals/, default ../shared/data/gz2-real-unlabelled):
#   1. on the config's synthetic set, in colour (as ./gz demo);
#   2. on the same synthetic set with every image grey, scored on grey real images: what synthetic
#      structure alone teaches;
#   3. and 4. on the real tune half's folder labels (bench/real-reference.sh), in colour and grey:
#      what real labels teach this CNN, with and without colour.
# Grey is the mean of the three channels, written back as three equal channels at JPEG quality 90
# (numpy and pillow in a virtualenv under $GZ_CACHE_DIR, default <repo>/.cache). About 11 minutes
# on 2 cores. Results go to docs/BENCHMARKS.md by hand.
# Usage: bench/structure-transfer.sh [real folder] [config]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REAL="$(cd "${1:-$ROOT/../shared/data/gz2-real-unlabelled}" && pwd)"
CONFIG="$(cd "$(dirname "${2:-$ROOT/configs/demo.yaml}")" && pwd)/$(basename "${2:-configs/demo.yaml}")"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
PYTHON="$("$ROOT/infra/python-venv.sh" "${GZ_CACHE_DIR:-$ROOT/.cache}/realism-by-class/venv" numpy pillow | tail -1)"

# Every JPEG under $1 copied to $2 (same relative path) in grey.
grey() {
  "$PYTHON" - "$1" "$2" <<'PY'
import os, sys
from PIL import Image
src, dst = sys.argv[1:3]
for folder, _, names in os.walk(src):
    for name in names:
        if name.endswith(".jpg"):
            out = os.path.join(dst, os.path.relpath(folder, src))
            os.makedirs(out, exist_ok=True)
            g = Image.open(os.path.join(folder, name)).convert("L")
            Image.merge("RGB", (g, g, g)).save(os.path.join(out, name), quality=90)
PY
}

# Runs a command quietly; prints its AUC table under a label, or the end of its output if it fails.
scored() {
  local label="$1"
  shift
  if ! "$@" > "$WORK/run.log" 2>&1; then
    tail -n 30 "$WORK/run.log" >&2
    exit 1
  fi
  tr '\r' '\n' < "$WORK/run.log" | grep -a -A4 "AUC of spirals" | sed "s/^/$label: /"
}

echo "structure-transfer: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), config $CONFIG, real images $REAL" >&2
cd "$ROOT"
# Throw-away runs: tracked offline in the temporary folder, never on a server.
export GZ_RUNS_DIR="$WORK/runs"
unset MLFLOW_TRACKING_URI

cat > "$WORK/synth.yaml" <<YAML
extends: $CONFIG
stages: [synth]
synth:
  out: $WORK/synth
YAML
./gz run --config "$WORK/synth.yaml" --force > "$WORK/synth.log" 2>&1 || { cat "$WORK/synth.log" >&2; exit 1; }
grey "$REAL" "$WORK/real-grey"
grey "$WORK/synth/images_training_rev1" "$WORK/synth-grey/images_training_rev1"
cp "$WORK/synth/training_solutions_rev1.csv" "$WORK/synth-grey/"

# 1 and 2: the config's training on its synthetic set, in colour and in grey.
for kind in colour grey; do
  if [ "$kind" = colour ]; then images="$WORK/synth"; sample="$REAL"; else images="$WORK/synth-grey"; sample="$WORK/real-grey"; fi
  cat > "$WORK/$kind.yaml" <<YAML
extends: $CONFIG
experiment: gz-structure-transfer
stages: [ingest, train, real-sample]
ingest:
  images: $images/images_training_rev1
  labels: $images/training_solutions_rev1.csv
  out: $WORK/data-$kind
train:
  run-name: synthetic-$kind
  data: $WORK/data-$kind
real-sample:
  sample: $sample
  output: $WORK/real-sample
sweep:
  baseline: false
YAML
  scored "synthetic $kind" ./gz run --config "$WORK/$kind.yaml" --force
done

# 3 and 4: the reference on real labels, in colour and in grey.
for kind in colour grey; do
  sample="$REAL"; [ "$kind" = grey ] && sample="$WORK/real-grey"
  scored "real-label reference $kind" bench/real-reference.sh "$sample" "$CONFIG"
done
