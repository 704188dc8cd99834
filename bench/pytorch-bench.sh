#!/usr/bin/env bash
# PyTorch itself on the same networks as `gz bench train`, for the DJL-vs-PyTorch comparison.
# Never part of CI. Runs in the PyTorch virtualenv of bench/pytorch-venv.sh (made on first use,
# about 5 GB).
# Usage: bench/pytorch-bench.sh [--size 69] [--batches 64,128] [--steps 15] [--threads 2]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="$("$ROOT/bench/pytorch-venv.sh" | tail -n 1)"
exec "$PYTHON" "$ROOT/bench/pytorch_train.py" "$@"
