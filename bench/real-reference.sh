#!/usr/bin/env bash
# The real-label reference for issue 12's transfer numbers: the demo's CNN (or a config's),
# trained on the folder labels of the tune half of a real sample (spirals/ and non_spirals/,
# default ../shared/data/gz2-real-unlabelled) and scored by gz real-sample on the held-out half,
# the same images every synthetic-trained model is reported on. It shows what the model and the
# images allow with real labels, so a synthetic-to-real AUC can be read against it rather than
# against 1. Results go to docs/BENCHMARKS.md by hand.
# Usage: bench/real-reference.sh [real folder] [config, default configs/demo.yaml]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REAL="$(cd "${1:-$ROOT/../shared/data/gz2-real-unlabelled}" && pwd)"
CONFIG="$(cd "$(dirname "${2:-$ROOT/configs/demo.yaml}")" && pwd)/$(basename "${2:-configs/demo.yaml}")"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$ROOT"
./gz --version >/dev/null   # builds the project when needed
java -cp "$(cat pipelines/target/gz.classpath):pipelines/target/classes" bench/RealTuneSet.java "$REAL" "$WORK/tune"

# The config's training on the tune half: ingest splits it into train and validation as usual,
# and nothing is synthetic. The config's max-images stays the budget (the demo's 30,000 are 54 epochs
# of this small set); the best validation model is scored.
cat > "$WORK/reference.yaml" <<YAML
extends: $CONFIG
experiment: gz-real-reference
stages: [ingest, train, real-sample]
ingest:
  images: $WORK/tune/images_training_rev1
  labels: $WORK/tune/training_solutions_rev1.csv
  out: $WORK/data
train:
  run-name: real-reference
  data: $WORK/data
  epochs: 100
real-sample:
  sample: $REAL
sweep:
  baseline: false
YAML
echo "real-reference: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), config $CONFIG, real images $REAL" >&2
/usr/bin/time -f "real-reference: %e s wall, %U s user" ./gz run --config "$WORK/reference.yaml" --force
