#!/usr/bin/env bash
# The PyTorch virtualenv of bench/pytorch-bench.sh and bench/fidelity.sh, made once under
# $GZ_CACHE_DIR/pytorch-bench (default <repo>/.cache) by infra/python-venv.sh; prints its python as
# the LAST line of stdout. Never part of CI.
# torch from PyPI is the version DJL's engine bundles (2.7.1; TORCH_VERSION=<version> tries another)
# with all its dependencies: PyPI's Linux wheel links against the CUDA libraries it lists (about
# 5 GB) even on a CPU, and `import torch` fails without them (libcudart.so.12 not found), so they
# cannot be left out. fastavro reads the ingested shards for fidelity.sh; cramjam is its snappy
# codec (ingest writes snappy-compressed Avro). One list for both scripts, so neither reinstalls
# what the other changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/infra/python-venv.sh" "${GZ_CACHE_DIR:-$ROOT/.cache}/pytorch-bench/venv" \
  "torch==${TORCH_VERSION:-2.7.1}" numpy fastavro cramjam
