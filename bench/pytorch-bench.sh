#!/usr/bin/env bash
# PyTorch itself on the same networks as `gz bench train`, for the DJL-vs-PyTorch comparison.
# Never part of CI. Creates a virtualenv under .cache/pytorch-bench and installs torch from PyPI
# (the version DJL's engine bundles, 2.7.1). PyPI's Linux wheel lists the CUDA libraries as
# dependencies (several GB); they are not needed on a CPU, so torch is installed without them and
# its few pure-Python dependencies are installed explicitly.
# Usage: bench/pytorch-bench.sh [--size 69] [--batches 64,128] [--steps 15] [--threads 2]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${GZ_CACHE_DIR:-$ROOT/.cache}/pytorch-bench/venv"
TORCH_VERSION="${TORCH_VERSION:-2.7.1}"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import torch" 2>/dev/null; then
  echo "pytorch-bench: installing torch $TORCH_VERSION into $VENV ..." >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q --no-deps "torch==$TORCH_VERSION"
  "$VENV/bin/pip" install -q filelock typing-extensions "sympy>=1.13.3" networkx jinja2 fsspec numpy
fi
exec "$VENV/bin/python" "$ROOT/bench/pytorch_train.py" "$@"
