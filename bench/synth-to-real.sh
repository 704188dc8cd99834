#!/usr/bin/env bash
# Synthetic to real (issue 12): trains a model on synthetic galaxies only (a config, default
# configs/synth-to-real.yaml) and scores it on real Galaxy Zoo JPEGs sorted into spirals/ and
# non_spirals/ (default ../shared/data/gz2-real-unlabelled, 1,400 images): the AUC of spirals
# above the rest on 'spiral: yes' and 'features or disk', on a tune half and a held-out report
# half (split by GalaxyID), and the fraction of real galaxies the model calls mergers. Also prints
# the realism table (synthetic vs real image statistics). Results go to docs/BENCHMARKS.md by hand.
# Usage: bench/synth-to-real.sh [config] [real folder]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONFIG="$(cd "$(dirname "${1:-$ROOT/configs/synth-to-real.yaml}")" && pwd)/$(basename "${1:-configs/synth-to-real.yaml}")"
REAL="$(cd "${2:-$ROOT/../shared/data/gz2-real-unlabelled}" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# The config, pointed at the real folder, and with the realism comparison on.
cat > "$WORK/bench.yaml" <<YAML
extends: $CONFIG
synth:
  compare-real: $REAL
real-sample:
  sample: $REAL
YAML
echo "synth-to-real: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), config $CONFIG, real images $REAL" >&2
cd "$ROOT"
/usr/bin/time -f "synth-to-real: %e s wall, %U s user" "$ROOT/gz" run --config "$WORK/bench.yaml" --force
