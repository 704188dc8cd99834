#!/usr/bin/env bash
# Real vs synthetic galaxies by class (issue 12): colour, colour gradient, concentration and
# asymmetry at the model's input per class, and the sky noise's grain, of a real sample (spirals/
# and non_spirals/, default ../shared/data/gz2-real-unlabelled) and of a fresh synthetic set from
# this checkout's generator (1,000 galaxies, seed 42). numpy and pillow come in a virtualenv
# under $GZ_CACHE_DIR (default <repo>/.cache) made by infra/python-venv.sh. Results go to
# docs/BENCHMARKS.md by hand.
# Usage: bench/realism-by-class.sh [real folder] [images per class, default 300]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REAL="$(cd "${1:-$ROOT/../shared/data/gz2-real-unlabelled}" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
PYTHON="$("$ROOT/infra/python-venv.sh" "${GZ_CACHE_DIR:-$ROOT/.cache}/realism-by-class/venv" numpy pillow | tail -1)"
cd "$ROOT"
# A throw-away set: tracked offline in the temporary folder, never on a server.
env -u MLFLOW_TRACKING_URI GZ_RUNS_DIR="$WORK/runs" ./gz synth --out "$WORK/synth" --count 1000 --seed 42 >/dev/null
"$PYTHON" "$ROOT/bench/realism_by_class.py" "$REAL" "$WORK/synth" "${2:-300}"
