#!/usr/bin/env bash
# PyTorch itself on the same networks as `gz bench train`, for the DJL-vs-PyTorch comparison.
# Never part of CI. Creates a virtualenv under .cache/pytorch-bench and installs torch from PyPI
# (the version DJL's engine bundles, 2.7.1) with all its dependencies: PyPI's Linux wheel links
# against the CUDA libraries it lists (about 5 GB) even on a CPU, and `import torch` fails without
# them (libcudart.so.12 not found), so they cannot be left out. A marker file written last makes an
# interrupted install start again instead of leaving a half-made environment.
# Usage: bench/pytorch-bench.sh [--size 69] [--batches 64,128] [--steps 15] [--threads 2]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${GZ_CACHE_DIR:-$ROOT/.cache}/pytorch-bench/venv"
TORCH_VERSION="${TORCH_VERSION:-2.7.1}"
if [ ! -f "$VENV/.installed-$TORCH_VERSION" ]; then
  echo "pytorch-bench: installing torch $TORCH_VERSION and its dependencies into $VENV (about 5 GB, once) ..." >&2
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q "torch==$TORCH_VERSION" numpy
  "$VENV/bin/python" -c "import torch; print('pytorch-bench: torch', torch.__version__, 'imports')" >&2
  touch "$VENV/.installed-$TORCH_VERSION"
fi
exec "$VENV/bin/python" "$ROOT/bench/pytorch_train.py" "$@"
